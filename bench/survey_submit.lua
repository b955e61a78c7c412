-- wrk script of the survey_submit scenario (bench/survey_submit.py builds its arguments).
--
-- Every request posts the same valid response with its own submission key, so the server
-- stores each one (a repeated key would be answered 303 without a new row). The key is
-- <run token><thread id><counter> in hex, 32 characters, as the form's own keys are hex.
-- Each thread counts the answers: 303 (redirect to the thank-you page) means the response
-- was acknowledged; done() prints the totals for the harness to compare with the rows.
--
-- Arguments after `--`: run token (16 hex), Cookie header, Origin, body without the key.

local threads = {}

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   token, body = args[1], args[4]
   counter, acknowledged, other = 0, 0, 0
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   wrk.headers["Cookie"] = args[2]
   -- Browsers send Origin with a POST, and Django's CSRF check compares it with the host.
   wrk.headers["Origin"] = args[3]
   wrk.headers["Referer"] = args[3] .. wrk.path
end

function request()
   counter = counter + 1
   local key = string.format("%s%04x%012x", token, thread_id, counter)
   return wrk.format(nil, nil, nil, body .. "&submission_key=" .. key)
end

function response(status, headers, body)
   if status == 303 then
      acknowledged = acknowledged + 1
   else
      other = other + 1
   end
end

function done(summary, latency, requests)
   local acks, others = 0, 0
   for _, thread in ipairs(threads) do
      acks = acks + thread:get("acknowledged")
      others = others + thread:get("other")
   end
   io.write(string.format("survey_submit: acknowledged %d, other %d\n", acks, others))
end
