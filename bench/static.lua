-- static: nginx serves a file from public/ with no worker involved (GET $BENCH_PATH, default /login): the ceiling.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local path = os.getenv("BENCH_PATH") or "/login"

common.install({
  prepare = function()
    wrk.method, wrk.path = "GET", path
    req = wrk.format()
  end,
  expected = function(status) return status == 200 end,
})

function request() return req end
