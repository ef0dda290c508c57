-- home: GET /home with the session cookies listed in $BENCH_SESSIONS, one user after another.
-- Each thread walks its own slice of the list in order, so a short run touches every session.
-- A valid session answers 200; a 303 to /login means the session was not accepted.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

common.install({
  prepare = function()
    local ids = common.read_lines(os.getenv("BENCH_SESSIONS"))
    requests = {}
    for i, id in ipairs(ids) do
      requests[i] = wrk.format("GET", "/home", { Cookie = "sid=" .. id })
    end
    next_index = math.floor((thread_index - 1) * #requests / thread_count)
  end,
  expected = function(status) return status == 200 end,
})

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
