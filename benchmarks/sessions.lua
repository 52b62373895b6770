-- Rotates wrk's requests over many sessions: one bearer token per line of the file named by the
-- BENCH_TOKENS environment variable. Each connection starts at its own offset, so the sessions are spread
-- across connections the way many users' clients would be.
local tokens = {}
local next_index = 1

function init(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = "Bearer " .. line end
  end
  if #tokens == 0 then error("no tokens in " .. tostring(os.getenv("BENCH_TOKENS"))) end
  next_index = math.random(#tokens)
end

function request()
  local token = tokens[next_index]
  next_index = next_index % #tokens + 1
  return wrk.format(nil, nil, { ["Authorization"] = token })
end
