-- api-user: GET /api/v1/users/{id} as the API client, ids from $BENCH_IDS (one a line, random bulk users).
-- BENCH_ORDER=seq walks them in order (each thread its own slice: no id twice until the slice is done,
-- so a cold run stays cold); random picks among them.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local headers = {
  Authorization = "Bearer " .. (os.getenv("BENCH_TOKEN") or "dev-reporting-token-0123456789abcdef"),
  Accept = "application/json",
}

common.install({
  prepare = function()
    ids = common.read_lines(os.getenv("BENCH_IDS"))
    sequential = (os.getenv("BENCH_ORDER") or "seq") == "seq"
    next_index = math.floor((thread_index - 1) * #ids / thread_count)
  end,
  expected = function(status) return status == 200 end,
})

function request()
  local id
  if sequential then
    next_index = next_index % #ids + 1
    id = ids[next_index]
  else
    id = ids[math.random(#ids)]
  end
  return wrk.format("GET", "/api/v1/users/" .. id, headers)
end
