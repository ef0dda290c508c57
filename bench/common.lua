-- Shared by the wrk scenarios: counts expected and unexpected responses per thread, and writes one
-- scenario's figures to $BENCH_OUT.json (for the results file) and $BENCH_OUT.env (for bench/run.sh).
--
-- A scenario script sets `expected(status, headers)` and, if it needs one, `prepare()` (run once
-- per thread, in init) before calling common.install().
local common = {}

local threads = {}

-- Reads one value per line (session ids, user ids, usernames); fails loudly on a missing file.
function common.read_lines(path)
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  local lines = {}
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  assert(#lines > 0, path .. " is empty")
  return lines
end

function common.env_number(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  local n = tonumber(v)
  assert(n, name .. " must be a number")
  return n
end

-- The header, whatever case the server used.
function common.header(headers, name)
  return headers[name] or headers[string.lower(name)]
end

local function ms(us) return us / 1000.0 end

-- How many of n requests took longer than us microseconds, from wrk's latency distribution
-- (the percentile where it crosses us, found by bisection).
local function count_over(latency, us, n)
  if latency.max <= us then return 0 end
  local lo, hi = 0, 100
  for _ = 1, 40 do
    local mid = (lo + hi) / 2
    if latency:percentile(mid) <= us then lo = mid else hi = mid end
  end
  return math.max(1, math.ceil((100 - hi) / 100 * n))
end

local function json_statuses(statuses)
  local parts = {}
  for code, n in pairs(statuses) do parts[#parts + 1] = string.format('"%s":%d', code, n) end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

local function write_file(path, text)
  local f = assert(io.open(path, "w"), "cannot write " .. path)
  f:write(text)
  f:close()
end

-- Installs setup/init/response/done as globals, as wrk expects them.
function common.install(scenario)
  -- Main state: one call per thread, before that thread's init.
  function setup(thread)
    threads[#threads + 1] = thread
    thread:set("thread_index", #threads)
    thread:set("thread_count", common.env_number("BENCH_THREADS", 2))
  end

  -- Thread state.
  function init(args)
    ok, unexpected, statuses = 0, 0, {}
    math.randomseed(os.time() + 7919 * thread_index)
    if scenario.prepare then scenario.prepare() end
  end

  function response(status, headers, body)
    local code = tostring(status)
    statuses[code] = (statuses[code] or 0) + 1
    if scenario.expected(status, headers) then
      ok = ok + 1
    else
      unexpected = unexpected + 1
    end
  end

  -- Main state, after the run.
  function done(summary, latency, requests)
    local total_ok, total_unexpected, statuses_all = 0, 0, {}
    for _, t in ipairs(threads) do
      total_ok = total_ok + (t:get("ok") or 0)
      total_unexpected = total_unexpected + (t:get("unexpected") or 0)
      for code, n in pairs(t:get("statuses") or {}) do
        statuses_all[code] = (statuses_all[code] or 0) + n
      end
    end
    local seconds = summary.duration / 1e6
    local e = summary.errors
    local fig = {
      requests = summary.requests,
      seconds = seconds,
      rps = summary.requests / seconds,
      p50 = ms(latency:percentile(50)),
      p90 = ms(latency:percentile(90)),
      p99 = ms(latency:percentile(99)),
      p999 = ms(latency:percentile(99.9)),
      max = ms(latency.max),
      over_1s = count_over(latency, 1000000, summary.requests),
      mean = ms(latency.mean),
    }
    local json = string.format(
      '{"requests":%d,"seconds":%.3f,"requests_per_s":%.1f,' ..
      '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p99_9":%.3f,"max":%.3f,"mean":%.3f},' ..
      '"over_1s":%d,"expected":%d,"unexpected":%d,"statuses":%s,' ..
      '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}}',
      fig.requests, fig.seconds, fig.rps, fig.p50, fig.p90, fig.p99, fig.p999, fig.max, fig.mean,
      fig.over_1s,
      total_ok, total_unexpected, json_statuses(statuses_all),
      e.connect, e.read, e.write, e.timeout)
    local env = string.format(
      "requests=%d\nrps=%.1f\np50=%.2f\np90=%.2f\np99=%.2f\np999=%.2f\nmax=%.2f\nover_1s=%d\n" ..
      "expected=%d\nunexpected=%d\nconnect_errors=%d\nread_errors=%d\nwrite_errors=%d\ntimeouts=%d\n",
      fig.requests, fig.rps, fig.p50, fig.p90, fig.p99, fig.p999, fig.max, fig.over_1s,
      total_ok, total_unexpected, e.connect, e.read, e.write, e.timeout)
    local out = os.getenv("BENCH_OUT")
    if out and out ~= "" then
      write_file(out .. ".json", json .. "\n")
      write_file(out .. ".env", env)
    end
    io.write(json, "\n")
  end
end

return common
