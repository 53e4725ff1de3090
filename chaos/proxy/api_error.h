// The error values of the fault proxy's control API. A failure carries the
// HTTP status Toxiproxy would answer with and the message that goes into its
// error body, {"error": message, "status": status}. OK is status 0 and costs
// nothing, as LevelDB's Status.
#pragma once

#include <string>
#include <utility>

namespace sonde::fault_proxy {

struct ApiError {
  int status = 0;  // 0: no error
  std::string message;

  bool ok() const { return status == 0; }
};

inline ApiError BadRequest(std::string message) { return {400, std::move(message)}; }
inline ApiError NotFound(std::string message) { return {404, std::move(message)}; }
inline ApiError Conflict(std::string message) { return {409, std::move(message)}; }
inline ApiError InternalError(std::string message) { return {500, std::move(message)}; }

}  // namespace sonde::fault_proxy
