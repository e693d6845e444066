-- wrk script of the load benchmark (bench/load/bench.py drives it through the environment).
--
-- BENCH_MODE      get: GET the URL's path; donate: POST /api/v1/donations/ with a new
--                 Idempotency-Key each time
-- BENCH_RATE      total requests per second to aim at (wrk2-style constant rate); 0 = as fast
--                 as the server answers (closed loop, finds saturation)
-- BENCH_THREADS   wrk's -t, to split the rate between threads
-- BENCH_SEND_FOR  seconds to send requests; afterwards no new request starts, so every request
--                 sent is answered before wrk's -d ends (nothing is cut off in flight)
-- BENCH_OUT       file prefix: each thread writes the codes of the donations it was answered
--                 201 for (donate mode) to BENCH_OUT.<thread>
-- BENCH_RUN, BENCH_PHASE: the run's id (in keys and messages) and this wrk run's name (in keys)
-- BENCH_TARGET, BENCH_POINT: the fund target and the donation point of the gifts
-- Every request carries X-Forwarded-Proto: https, as the reverse proxy in front would.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]])
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local mode = os.getenv("BENCH_MODE") or "get"
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local send_for = tonumber(os.getenv("BENCH_SEND_FOR") or "0") * 1000
local out = os.getenv("BENCH_OUT")
local run = os.getenv("BENCH_RUN") or "run"
local phase = os.getenv("BENCH_PHASE") or "phase"
local target = os.getenv("BENCH_TARGET") or ""
local point = os.getenv("BENCH_POINT") or ""

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

-- thread state; the counters are globals so that done() can read them with thread:get()
counter = 0
created, created_cents = 0, 0
other_status = 0
local started, next_slot, interval
local codes

function init(args)
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Accept-Language"] = "zh-hans"
  if mode == "donate" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    if out then
      codes = io.open(out .. "." .. id, "w")
    end
  end
  if rate > 0 then
    interval = 1000 * nthreads / rate
  end
end

function delay()
  local now = now_ms()
  if started == nil then
    started = now
    -- spread the threads' first requests over one interval
    next_slot = now + (interval or 0) * (id - 1) / nthreads
  end
  if send_for > 0 and now - started >= send_for then
    return 3600 * 1000 -- sending time is over: wait for wrk to end
  end
  if interval == nil then
    return 0
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  if wait < 0 then
    return 0
  end
  return wait
end

function request()
  if mode ~= "donate" then
    return wrk.format(nil, wrk.path)
  end
  counter = counter + 1
  local key = string.format("bench-%s-%s-%d-%d", run, phase, id, counter)
  local amount = string.format("%d.%02d", 1 + counter % 500, (counter * 7) % 100)
  local mobile = string.format("139%02d%06d", id % 100, counter % 1000000)
  local body = string.format(
    '{"target":"%s","point":"%s","amount":"%s","provider":"sandbox","donor_name":"压测%d",'
      .. '"mobile":"%s","message":"load-bench %s","receipt_wanted":true}',
    target, point, amount, counter, mobile, run
  )
  wrk.headers["Idempotency-Key"] = key
  return wrk.format(nil, "/api/v1/donations/", nil, body)
end

function response(status, headers, body)
  if mode ~= "donate" then
    if status ~= 200 then
      other_status = other_status + 1
    end
    return
  end
  if status == 201 then
    created = created + 1
    local yuan, fen = string.match(body, '"amount":"(%d+)%.(%d%d)"')
    if yuan then
      created_cents = created_cents + tonumber(yuan) * 100 + tonumber(fen)
    end
    if codes then
      local code = string.match(body, '"code":"([^"]+)"')
      codes:write((code or "?"), "\n")
      codes:flush()
    end
  else
    other_status = other_status + 1
  end
end

function done(summary, latency, requests)
  local ok, cents, other = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("created") or 0)
    cents = cents + (thread:get("created_cents") or 0)
    other = other + (thread:get("other_status") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"unexpected_status":%d,"created":%d,"created_cents":%d,'
      .. '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, other, ok, cents,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000
  ))
end
