// Revert actions: what the journal keeps so that a fault can be undone by a
// process that knows nothing else about it (`sonde heal` after a crash).
// Each is a JSON object with an "action":
//   {"action":"signal","pid":N,"start_time":T,"signal":18}  SIGCONT a paused process,
//        only if PID N still is that process (start time T)
//   {"action":"exec","command":"..."}   a shell command (also "restart")
//   {"action":"http","method":"DELETE","url":"...","body":"..."}  expects 2xx
//   {"action":"none","why":"..."}        nothing can be undone (a kill without restart)
//   {"action":"all","actions":[...]}     every one of them (a partition's toxics)
//   {"action":"nft","table":"sonde_PID","chain":"p_NAME"}  an nftables partition's chains
// Executing one is idempotent as far as its action is: SIGCONT to a running
// process, a DELETE of something gone (404 counts as done), a command the
// user wrote to be repeatable.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace sonde::chaos {

// nullopt when done (or nothing was left to do); else why not.
std::optional<std::string> ExecuteRevert(const boost::json::object& action);

// Runs `command` with /bin/sh -c, waiting up to `timeout` (then SIGKILL);
// nullopt on exit 0, else the reason with the exit status and the tail of
// its stderr.
std::optional<std::string> RunShell(const std::string& command,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(60));

// One HTTP request (libcurl, 10 s timeout); nullopt on 2xx (and on 404
// when `missing_ok`), else the reason. The answer's body goes to `response`
// when given (up to 4 MiB; more is an error).
std::optional<std::string> HttpCall(const std::string& method, const std::string& url,
                                    const std::string& body, bool missing_ok,
                                    std::string* response = nullptr);

}  // namespace sonde::chaos
