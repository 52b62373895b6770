namespace Gateway.Tests.WeChatSandbox;

/// <summary>
/// AES-128 decryption (FIPS-197 inverse cipher) with CBC and PKCS#7, written from the standard so that the
/// sandbox's encrypted data is checked by code that shares nothing with it, not even the platform's AES.
/// </summary>
public static class IndependentAes
{
    private static readonly byte[] SBox = BuildSBox();
    private static readonly byte[] InverseSBox = Invert(SBox);

    /// <summary>Decrypts AES-128-CBC and strips PKCS#7 padding; throws on a malformed padding.</summary>
    public static byte[] DecryptCbcPkcs7(byte[] key, byte[] iv, byte[] ciphertext)
    {
        if (key.Length != 16 || iv.Length != 16 || ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new ArgumentException("AES-128-CBC needs a 16-byte key and IV and whole 16-byte blocks.");
        }

        var roundKeys = ExpandKey(key);
        var plain = new byte[ciphertext.Length];
        var previous = iv;
        for (var offset = 0; offset < ciphertext.Length; offset += 16)
        {
            var block = ciphertext.AsSpan(offset, 16).ToArray();
            var decrypted = DecryptBlock(block, roundKeys);
            for (var i = 0; i < 16; i++)
            {
                plain[offset + i] = (byte)(decrypted[i] ^ previous[i]);
            }

            previous = block;
        }

        var pad = plain[^1];
        if (pad is < 1 or > 16 || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
        {
            throw new FormatException("Bad PKCS#7 padding.");
        }

        return plain[..^pad];
    }

    public static byte[] DecryptBlock(byte[] input, byte[][] roundKeys)
    {
        var state = (byte[])input.Clone();
        AddRoundKey(state, roundKeys[10]);
        for (var round = 9; round >= 1; round--)
        {
            InverseShiftRows(state);
            InverseSubBytes(state);
            AddRoundKey(state, roundKeys[round]);
            InverseMixColumns(state);
        }

        InverseShiftRows(state);
        InverseSubBytes(state);
        AddRoundKey(state, roundKeys[0]);
        return state;
    }

    public static byte[][] ExpandKey(byte[] key)
    {
        var words = new byte[44][];
        for (var i = 0; i < 4; i++)
        {
            words[i] = key[(4 * i)..(4 * i + 4)];
        }

        byte rcon = 1;
        for (var i = 4; i < 44; i++)
        {
            var temp = (byte[])words[i - 1].Clone();
            if (i % 4 == 0)
            {
                temp = [(byte)(SBox[temp[1]] ^ rcon), SBox[temp[2]], SBox[temp[3]], SBox[temp[0]]];
                rcon = Multiply(rcon, 2);
            }

            words[i] = new byte[4];
            for (var j = 0; j < 4; j++)
            {
                words[i][j] = (byte)(words[i - 4][j] ^ temp[j]);
            }
        }

        return Enumerable.Range(0, 11).Select(r => words[(4 * r)..(4 * r + 4)].SelectMany(w => w).ToArray()).ToArray();
    }

    private static void AddRoundKey(byte[] state, byte[] roundKey)
    {
        for (var i = 0; i < 16; i++)
        {
            state[i] ^= roundKey[i];
        }
    }

    private static void InverseSubBytes(byte[] state)
    {
        for (var i = 0; i < 16; i++)
        {
            state[i] = InverseSBox[state[i]];
        }
    }

    /// <summary>State is column-major (byte index = 4 * column + row); row r rotates right by r.</summary>
    private static void InverseShiftRows(byte[] state)
    {
        var copy = (byte[])state.Clone();
        for (var row = 1; row < 4; row++)
        {
            for (var column = 0; column < 4; column++)
            {
                state[4 * ((column + row) % 4) + row] = copy[4 * column + row];
            }
        }
    }

    private static void InverseMixColumns(byte[] state)
    {
        for (var c = 0; c < 4; c++)
        {
            var a = state.AsSpan(4 * c, 4).ToArray();
            state[4 * c] = (byte)(Multiply(a[0], 14) ^ Multiply(a[1], 11) ^ Multiply(a[2], 13) ^ Multiply(a[3], 9));
            state[4 * c + 1] = (byte)(Multiply(a[0], 9) ^ Multiply(a[1], 14) ^ Multiply(a[2], 11) ^ Multiply(a[3], 13));
            state[4 * c + 2] = (byte)(Multiply(a[0], 13) ^ Multiply(a[1], 9) ^ Multiply(a[2], 14) ^ Multiply(a[3], 11));
            state[4 * c + 3] = (byte)(Multiply(a[0], 11) ^ Multiply(a[1], 13) ^ Multiply(a[2], 9) ^ Multiply(a[3], 14));
        }
    }

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    private static byte Multiply(byte a, byte b)
    {
        var product = 0;
        var x = (int)a;
        for (var y = (int)b; y != 0; y >>= 1)
        {
            if ((y & 1) != 0)
            {
                product ^= x;
            }

            x = (x & 0x80) != 0 ? ((x << 1) ^ 0x11b) : x << 1;
        }

        return (byte)product;
    }

    /// <summary>The S-box from its definition: multiplicative inverse in GF(2^8), then the affine transform.</summary>
    private static byte[] BuildSBox()
    {
        var box = new byte[256];
        for (var value = 0; value < 256; value++)
        {
            var inverse = value == 0 ? (byte)0 : (byte)Enumerable.Range(1, 255).First(candidate => Multiply((byte)value, (byte)candidate) == 1);
            var s = inverse;
            var result = inverse;
            for (var i = 0; i < 4; i++)
            {
                s = (byte)((s << 1) | (s >> 7));
                result ^= s;
            }

            box[value] = (byte)(result ^ 0x63);
        }

        return box;
    }

    private static byte[] Invert(byte[] box)
    {
        var inverse = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            inverse[box[i]] = (byte)i;
        }

        return inverse;
    }
}
