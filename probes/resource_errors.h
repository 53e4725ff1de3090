// Errors that mean sonde's own process or host ran out of something
// (descriptors, socket buffers, memory) while setting up a probe. Such a
// failure says nothing about the target: probes report it as
// Reason::kInternal, so the run ends infra_error and stays out of every SLI,
// instead of kConnect charged to a healthy target.
#pragma once

#include <boost/system/error_code.hpp>
#include <cerrno>

namespace sonde {

inline bool IsResourceExhaustion(int err) {
  return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

inline bool IsResourceExhaustion(const boost::system::error_code& ec) {
  return (ec.category() == boost::system::system_category() ||
          ec.category() == boost::system::generic_category()) &&
         IsResourceExhaustion(ec.value());
}

}  // namespace sonde
