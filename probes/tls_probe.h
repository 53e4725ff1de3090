// The `tls` step kind: TCP connect, then a TLS handshake, timed; reports the
// negotiated protocol and the leaf certificate's expiry. Verification follows
// the target group's TLS options (CA file, client certificate, or
// insecure_skip_verify), with the host name checked against the certificate.
#pragma once

#include "probes/probe.h"

namespace sonde {

boost::asio::awaitable<ProbeResult> ProbeTls(ProbeEnv& env, const ProbeRequest& request);

}  // namespace sonde
