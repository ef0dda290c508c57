-- login-spike: POST /login (form) as random bulk users from $BENCH_USERNAMES with the bulk password.
-- Success is a 303 to /home; a 303 to /login?error=1 is a failed login and counts as unexpected.
package.path = (os.getenv("BENCH_DIR") or "bench") .. "/?.lua;" .. package.path
local common = require("common")

local password = os.getenv("BENCH_PASSWORD") or "bulk-pass-123"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

common.install({
  prepare = function()
    usernames = common.read_lines(os.getenv("BENCH_USERNAMES"))
  end,
  expected = function(status, response_headers)
    local location = common.header(response_headers, "Location") or ""
    return status == 303 and (location == "/home" or location:sub(-5) == "/home")
  end,
})

function request()
  local body = "username=" .. usernames[math.random(#usernames)] .. "&password=" .. password
  return wrk.format("POST", "/login", headers, body)
end
