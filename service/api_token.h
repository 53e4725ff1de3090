// The bearer token of the daemon's drill and heal API ([service]
// api_token_file): the file's first line, without trailing spaces or CR.
// Read by the daemon at every request (so a new token takes without a
// restart) and by `sonde drill --daemon`.
#pragma once

#include <string>

namespace sonde {

// "" when the file is missing, unreadable or empty.
std::string ReadApiToken(const std::string& path);

}  // namespace sonde
