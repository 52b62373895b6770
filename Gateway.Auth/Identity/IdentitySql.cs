using Gateway.Auth.Storage.Relational;

namespace Gateway.Auth.Identity;

/// <summary>Every statement identity runs; all values travel as parameters. Only id retrieval differs by dialect.</summary>
internal sealed class IdentitySql
{
    private static readonly IdentitySql MySql = new(idColumn: "", idValue: "", "SELECT LAST_INSERT_ID()");

    // SQLite gives a new row the highest id plus one, which after an erase could be the erased person's: the id is
    // chosen here above every id in use or erased. Writers are serialised, and a lost race is a retried duplicate key.
    private static readonly IdentitySql Sqlite = new(
        idColumn: "id, ",
        idValue: "(SELECT MAX(n) FROM (SELECT COALESCE(MAX(id), 0) + 1 AS n FROM persons UNION ALL SELECT COALESCE(MAX(person_id), 0) + 1 FROM erased_persons)), ",
        "SELECT last_insert_rowid()");

    private IdentitySql(string idColumn, string idValue, string lastInsertId)
    {
        InsertPerson =
            $"INSERT INTO persons ({idColumn}union_id, disabled, nickname, nickname_source, nickname_set_at, avatar_url, avatar_source, avatar_set_at, created_at, updated_at) " +
            $"VALUES ({idValue}@UnionId, 0, @Nickname, CASE WHEN @Nickname IS NULL THEN NULL ELSE @Source END, CASE WHEN @Nickname IS NULL THEN NULL ELSE @Now END, " +
            "@AvatarUrl, CASE WHEN @AvatarUrl IS NULL THEN NULL ELSE @Source END, CASE WHEN @AvatarUrl IS NULL THEN NULL ELSE @Now END, @Now, @Now); " + lastInsertId;
    }

    public const string FindIdentity =
        "SELECT a.id AS IdentityId, a.person_id AS PersonId, p.union_id AS UnionId, p.disabled AS Disabled " +
        "FROM app_identities a JOIN persons p ON p.id = a.person_id " +
        "WHERE a.app_id = @AppId AND a.open_id = @OpenId";

    public const string FindByUnionId =
        "SELECT id AS PersonId, union_id AS UnionId, disabled AS Disabled FROM persons WHERE union_id = @UnionId";

    public const string InsertIdentity =
        "INSERT INTO app_identities (app_id, open_id, person_id, channel, created_at, last_login_at) " +
        "VALUES (@AppId, @OpenId, @PersonId, @Channel, @Now, @Now)";

    public const string TouchIdentity = "UPDATE app_identities SET last_login_at = @Now WHERE id = @IdentityId";

    /// <summary>
    /// A null value leaves the stored one alone (placeholders arrive here as null). Source and time change only with
    /// the value, and are assigned before it because MySQL lets later assignments see earlier ones.
    /// </summary>
    public const string ApplyProfile =
        "UPDATE persons SET " +
        "nickname_source = CASE WHEN @Nickname IS NULL OR (nickname IS NOT NULL AND nickname = @Nickname) THEN nickname_source ELSE @Source END, " +
        "nickname_set_at = CASE WHEN @Nickname IS NULL OR (nickname IS NOT NULL AND nickname = @Nickname) THEN nickname_set_at ELSE @Now END, " +
        "nickname = COALESCE(@Nickname, nickname), " +
        "avatar_source = CASE WHEN @AvatarUrl IS NULL OR (avatar_url IS NOT NULL AND avatar_url = @AvatarUrl) THEN avatar_source ELSE @Source END, " +
        "avatar_set_at = CASE WHEN @AvatarUrl IS NULL OR (avatar_url IS NOT NULL AND avatar_url = @AvatarUrl) THEN avatar_set_at ELSE @Now END, " +
        "avatar_url = COALESCE(@AvatarUrl, avatar_url), updated_at = @Now " +
        "WHERE id = @PersonId";

    /// <summary>Guarded so that two logins back-filling at once cannot both succeed.</summary>
    public const string BackfillUnionId =
        "UPDATE persons SET union_id = @UnionId, updated_at = @Now WHERE id = @PersonId AND union_id IS NULL AND merged_into IS NULL";

    /// <summary>Claims the openid-only person for the merge; zero rows means another login merged it first.</summary>
    public const string MarkMerged =
        "UPDATE persons SET merged_into = @SurvivorId, updated_at = @Now WHERE id = @MergedId AND union_id IS NULL AND merged_into IS NULL";

    public const string FindMergedPerson =
        "SELECT phone AS Phone, nickname AS Nickname, nickname_source AS NicknameSource, nickname_set_at AS NicknameSetAt, " +
        "avatar_url AS AvatarUrl, avatar_source AS AvatarSource, avatar_set_at AS AvatarSetAt, disabled AS Disabled FROM persons WHERE id = @MergedId";

    /// <summary>WeChat and OpenID Connect identities alike follow the person they belonged to.</summary>
    public const string MoveIdentities = "UPDATE app_identities SET person_id = @SurvivorId WHERE person_id = @MergedId";

    public const string MoveOidcIdentities = "UPDATE oidc_identities SET person_id = @SurvivorId WHERE person_id = @MergedId";

    /// <summary>Nothing is lost: the survivor keeps its own values and takes the merged person's where it has none; disabled wins.</summary>
    public const string AbsorbMerged =
        "UPDATE persons SET phone = COALESCE(phone, @Phone), " +
        "nickname_source = CASE WHEN nickname IS NULL THEN @NicknameSource ELSE nickname_source END, " +
        "nickname_set_at = CASE WHEN nickname IS NULL THEN @NicknameSetAt ELSE nickname_set_at END, nickname = COALESCE(nickname, @Nickname), " +
        "avatar_source = CASE WHEN avatar_url IS NULL THEN @AvatarSource ELSE avatar_source END, " +
        "avatar_set_at = CASE WHEN avatar_url IS NULL THEN @AvatarSetAt ELSE avatar_set_at END, avatar_url = COALESCE(avatar_url, @AvatarUrl), " +
        "disabled = CASE WHEN @Disabled = 1 THEN 1 ELSE disabled END, updated_at = @Now WHERE id = @SurvivorId";

    public const string RecordMerge =
        "INSERT INTO person_merges (survivor_id, merged_id, union_id, merged_at) VALUES (@SurvivorId, @MergedId, @UnionId, @Now)";

    public const string PersonColumns =
        "id AS Id, union_id AS UnionId, disabled AS Disabled, phone AS Phone, nickname AS Nickname, avatar_url AS AvatarUrl, " +
        "nickname_source AS NicknameSource, nickname_set_at AS NicknameSetAt, avatar_source AS AvatarSource, avatar_set_at AS AvatarSetAt, " +
        "merged_into AS MergedInto, anonymised_at AS AnonymisedAt, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public const string FindPersonById = "SELECT " + PersonColumns + " FROM persons WHERE id = @PersonId";

    public const string FindPersonByUnionId = "SELECT " + PersonColumns + " FROM persons WHERE union_id = @UnionId";

    public const string FindPersonIdByOpenId = "SELECT person_id FROM app_identities WHERE app_id = @AppId AND open_id = @OpenId";

    public const string FindAppIdentities =
        "SELECT app_id AS AppId, open_id AS OpenId, channel AS Channel, created_at AS CreatedAt, last_login_at AS LastLoginAt " +
        "FROM app_identities WHERE person_id = @PersonId ORDER BY id";

    public const string SetDisabled = "UPDATE persons SET disabled = @Disabled, updated_at = @Now WHERE id = @PersonId";

    public const string SetPhone = "UPDATE persons SET phone = @Phone, updated_at = @Now WHERE id = @PersonId";

    // PIPL: a person and the persons merged into it (their rows still hold what they had when merged) are forgotten
    // together. Merge records go too: they hold the unionid.
    public const string ForgetMerges = "DELETE FROM person_merges WHERE survivor_id = @PersonId OR merged_id = @PersonId";

    public const string ForgetIdentities =
        "DELETE FROM app_identities WHERE person_id IN (SELECT id FROM persons WHERE id = @PersonId OR merged_into = @PersonId)";

    public const string ForgetOidcIdentities =
        "DELETE FROM oidc_identities WHERE person_id IN (SELECT id FROM persons WHERE id = @PersonId OR merged_into = @PersonId)";

    public const string Anonymise =
        "UPDATE persons SET union_id = NULL, phone = NULL, nickname = NULL, nickname_source = NULL, nickname_set_at = NULL, " +
        "avatar_url = NULL, avatar_source = NULL, avatar_set_at = NULL, anonymised_at = COALESCE(anonymised_at, @Now), updated_at = @Now " +
        "WHERE id = @PersonId OR merged_into = @PersonId";

    public const string RecordErased =
        "INSERT INTO erased_persons (person_id, erased_at) SELECT id, @Now FROM persons WHERE id = @PersonId OR merged_into = @PersonId";

    public const string DeleteMergedPersons = "DELETE FROM persons WHERE merged_into = @PersonId";

    public const string DeletePerson = "DELETE FROM persons WHERE id = @PersonId";

    public const string FindErased = "SELECT erased_at FROM erased_persons WHERE person_id = @PersonId";

    public string InsertPerson { get; }

    public static IdentitySql For(SqlDialect dialect) => dialect == SqlDialect.MySql ? MySql : Sqlite;
}
