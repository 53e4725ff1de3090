// HttpClient: libcurl's multi-socket API driven by Boost.Asio on one strand.
//
// Shape: curl tells us which fds it wants watched (socket callback) and when
// it next needs a timeout tick (timer callback). We translate both into Asio
// waits on a strand and call curl_multi_socket_action when they fire, then
// drain curl's finished transfers. All curl calls happen on the strand.
//
// Lifetime: Impl is shared_ptr-owned. Asio handlers hold weak (sockets, timer)
// or strong (posted work) references, so nothing dangles when the client goes
// away first. If the io_context goes away first, a small execution_context
// service tells every Impl on it to drop its Asio objects and curl state
// while the context's services still exist (see ContextWatch).
#include "probes/http_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "probes/resource_errors.h"

namespace sonde {
namespace {

namespace asio = boost::asio;
using Handler = asio::any_completion_handler<void(HttpResponse)>;
using Clock = std::chrono::steady_clock;

// CURLE_TOO_LARGE (curl 8.6+: response headers over curl's limits); by
// number, so this builds against older headers too.
constexpr int kCurleTooLarge = 100;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Cumulative curl timestamps in microseconds since the transfer started; a
// mark the transfer never reached is 0.
struct CurlMarks {
  int64_t namelookup = 0, connect = 0, appconnect = 0, starttransfer = 0, total = 0;
};

// Splits `total` into phases that are never negative and always sum to it.
// The phase after the last mark reached gets the remainder: on success that is
// `transfer`; on failure it is the phase the failure happened in.
HttpPhases ComputePhases(const CurlMarks& m, bool https) {
  const int64_t total = std::max<int64_t>(m.total, 0);
  // For plain HTTP the TLS mark equals the connect mark, so tls is 0 and a
  // failure after connect is charged to processing, not tls.
  const int64_t marks[4] = {m.namelookup, m.connect, https ? m.appconnect : m.connect,
                            m.starttransfer};
  int last = -1;
  for (int k = 0; k < 4; ++k) {
    if (marks[k] > 0) last = k;
  }
  int64_t phase[5] = {};
  int64_t sum = 0;
  for (int k = 0; k <= last; ++k) {
    phase[k] = std::clamp<int64_t>(marks[k] - sum, 0, total - sum);
    sum += phase[k];
  }
  phase[last + 1] = total - sum;
  using us = std::chrono::microseconds;
  return HttpPhases{us(phase[0]), us(phase[1]), us(phase[2]),
                    us(phase[3]), us(phase[4]), us(total)};
}

// Wants curl's fd watched. curl owns the fd: the descriptor only borrows it
// and must be release()d, never closed or destroyed while it still holds it.
struct SocketState {
  SocketState(const asio::strand<asio::any_io_executor>& strand, curl_socket_t fd)
      : fd(fd), descriptor(strand, fd) {}
  ~SocketState() {
    // Destroying an open descriptor would close curl's fd behind its back.
    if (descriptor.is_open()) descriptor.release();
  }
  curl_socket_t fd;
  asio::posix::stream_descriptor descriptor;
  bool want_read = false, want_write = false;
  bool read_pending = false, write_pending = false;
  bool removed = false;
};

// One request from Fetch to completion.
struct Transfer {
  // Boost 1.81's any_completion_handler move *assignment* recurses forever
  // (it copies from an lvalue through its converting constructor), so the
  // handler is only ever move-constructed, never assigned.
  Transfer(Handler h, HttpRequest r) : request(std::move(r)), handler(std::move(h)) {}
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(header_list);
  }
  uint64_t id = 0;
  HttpRequest request;  // owns the body curl sends (POSTFIELDS does not copy)
  Handler handler;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  Clock::time_point added;
  bool too_large = false;
  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error{};
  // When curl began TLS setup on the connected socket (see OnSslContext).
  std::optional<Clock::time_point> tls_started;
  // See OnOpenSocket.
  int socket_errno = 0;
  bool last_descriptor = false;
};

// curl callbacks are noexcept: returning a short count fails the transfer.
size_t OnHeader(char* data, size_t size, size_t count, void* user) noexcept try {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new status line: drop headers of an interim response (100 Continue).
    t->response.headers.clear();
    return n;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // Obsolete line folding continues the previous value.
    if (!t->response.headers.empty() && !Trim(line).empty()) {
      t->response.headers.back().second += ' ';
      t->response.headers.back().second += Trim(line);
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // blank line ending the block
  t->response.headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
  return n;
} catch (...) {
  return 0;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) noexcept try {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->response.body.size() + n > t->request.max_response_bytes) {
    t->too_large = true;
    return 0;  // curl fails the transfer with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
} catch (...) {
  return 0;
}

// CURLOPT_SSL_CTX_FUNCTION: curl calls it once TCP is connected, right
// before the TLS handshake. It only records the time (see Finish).
CURLcode OnSslContext(CURL*, void*, void* user) noexcept {
  auto* t = static_cast<Transfer*>(user);
  if (!t->tls_started) t->tls_started = Clock::now();
  return CURLE_OK;
}

// CURLOPT_OPENSOCKETFUNCTION: opens the socket as curl itself would, but
// keeps errno. curl reports a failed socket() as CURLE_COULDNT_CONNECT and
// (in 7.88) loses the errno, which would charge sonde running out of
// descriptors to the target as `connect`. It also notes whether this socket
// took the last descriptor: for HTTPS curl then opens the CA file, fails,
// and reports CURLE_SSL_CACERT_BADFILE, again sonde's trouble.
curl_socket_t OnOpenSocket(void* user, curlsocktype, curl_sockaddr* address) noexcept {
  auto* t = static_cast<Transfer*>(user);
  // Only the latest attempt counts: curl may try another address after one
  // that failed.
  t->socket_errno = 0;
  t->last_descriptor = false;
  const curl_socket_t fd = ::socket(address->family, address->socktype, address->protocol);
  if (fd == CURL_SOCKET_BAD) {
    t->socket_errno = errno;
    return fd;
  }
  const int spare = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (spare >= 0) {
    ::close(spare);
  } else {
    t->last_descriptor = IsResourceExhaustion(errno);
  }
  return fd;
}

bool IsHttps(std::string_view url) { return Lower(url.substr(0, 8)) == "https://"; }

// What ContextWatch needs from a client (HttpClient::Impl is private).
class Watched {
 public:
  virtual void MarkContextGone() = 0;
  virtual void OnContextShutdown() = 0;

 protected:
  ~Watched() = default;
};

// Lets Impls learn that their execution_context is being destroyed. Asio IO
// objects must be destroyed before the context's services are; when the
// client outlives its io_context, shutdown() is our last chance to do that.
class ContextWatch : public asio::execution_context::service {
 public:
  // Shared with every registered Impl so it outlives whichever goes first.
  struct Registry {
    std::mutex mu;
    std::vector<std::weak_ptr<Watched>> impls;  // guarded by mu
  };

  using key_type = ContextWatch;
  inline static asio::execution_context::id id;

  explicit ContextWatch(asio::execution_context& context)
      : asio::execution_context::service(context), registry_(std::make_shared<Registry>()) {}

  std::shared_ptr<Registry> registry() const { return registry_; }

 private:
  void shutdown() override;
  std::shared_ptr<Registry> registry_;
};

}  // namespace

const std::string* HttpResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

Reason ClassifyCurlError(int curl_code) {
  if (curl_code == kCurleTooLarge) return Reason::kInvalidResponse;
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
      return Reason::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Reason::kDns;
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return Reason::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return Reason::kTimeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return Reason::kTls;
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      return Reason::kInvalidResponse;
    default:
      return Reason::kInternal;
  }
}

Reason ClassifyCurlFailure(int curl_code, const CurlFailureContext& context) {
  if (curl_code != CURLE_OK && IsResourceExhaustion(context.socket_errno)) {
    return Reason::kInternal;
  }
  switch (curl_code) {
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      // Our own CA or client certificate file would not load, right after
      // the socket took the last descriptor: no descriptor to open it with.
      if (context.last_descriptor) return Reason::kInternal;
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      // Past connect, this code means the peer answered with something
      // that is not HTTP ("Received HTTP/0.9 when not allowed"): the
      // target's fault, not ours. Before connect it is a bad URL scheme.
      if (context.connected) return Reason::kInvalidResponse;
      break;
    case CURLE_OUT_OF_MEMORY:
      // curl 7.x also reports a response header over its 100 KiB limit
      // this way ("Out of memory"); once connected, what curl allocates for
      // is the response, so the response is what is wrong.
      if (context.connected) return Reason::kInvalidResponse;
      break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      // After the status line, the connection breaking (a reset mid-body)
      // or curl refusing to read on (headers over its 300 KiB total, in
      // 7.88 with the CVE-2023-38039 fix) leaves a truncated response.
      // Before it, the connection broke: connect.
      if (context.response_started) return Reason::kInvalidResponse;
      break;
    default:
      break;
  }
  return ClassifyCurlError(curl_code);
}

class HttpClient::Impl : public Watched, public std::enable_shared_from_this<Impl> {
 public:
  explicit Impl(asio::any_io_executor executor)
      : context_(asio::query(executor, asio::execution::context)),
        strand_(asio::make_strand(executor)),
        timer_(std::in_place, *strand_) {
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::OnTimer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  ~Impl() {
    // Normally a no-op (Shutdown ran on the strand). It does the work when
    // the posted Shutdown was dropped unrun because the context is going away.
    TearDown(/*deliver=*/false);
    timer_.reset();
    strand_.reset();
    if (registry_ == nullptr) return;
    std::lock_guard lock(registry_->mu);
    std::erase_if(registry_->impls, [](const auto& w) { return w.expired(); });
  }

  // Called once right after construction (needs weak_from_this).
  void Watch() {
    registry_ = asio::use_service<ContextWatch>(context_).registry();
    std::lock_guard lock(registry_->mu);
    registry_->impls.push_back(weak_from_this());
  }

  // Any thread.
  void Start(Handler handler, HttpRequest request) {
    if (context_gone_) return;  // nowhere to run anything: drop the handler
    auto t = std::make_unique<Transfer>(std::move(handler), std::move(request));
    t->id = next_id_.fetch_add(1);
    in_flight_.fetch_add(1);
    auto slot = asio::get_associated_cancellation_slot(t->handler);
    if (slot.is_connected()) {
      // Runs where the cancellation is emitted; curl work belongs on the
      // strand. Holds only an id, so a late signal for a finished transfer
      // finds nothing and does nothing.
      slot.assign([weak = weak_from_this(), id = t->id](asio::cancellation_type type) {
        if ((type & (asio::cancellation_type::terminal | asio::cancellation_type::partial |
                     asio::cancellation_type::total)) == asio::cancellation_type::none) {
          return;
        }
        if (auto self = weak.lock(); self && !self->context_gone_) {
          auto strand = *self->strand_;
          asio::post(strand, [self = std::move(self), id] { self->Abort(id, "cancelled"); });
        }
      });
    }
    auto strand = *strand_;
    asio::post(strand, [self = shared_from_this(), t = std::move(t)]() mutable {
      self->StartOnStrand(std::move(t));
    });
  }

  void AbortAll() {
    if (context_gone_) return;
    asio::dispatch(*strand_, [self = shared_from_this()] {
      std::vector<uint64_t> ids;
      for (const auto& [id, t] : self->transfers_) ids.push_back(id);
      for (uint64_t id : ids) self->Abort(id, "aborted");
    });
  }

  // From ~HttpClient: abort everything and free curl, on the strand.
  void Shutdown() {
    if (context_gone_) return;  // ContextWatch already tore everything down
    asio::dispatch(*strand_, [self = shared_from_this()] { self->TearDown(/*deliver=*/true); });
  }

  // The context is being destroyed and runs no more handlers, so this may
  // touch strand state from the destroying thread. Handlers are dropped, not
  // invoked: there is nowhere left to run them.
  void OnContextShutdown() override {
    context_gone_ = true;
    TearDown(/*deliver=*/false);
    timer_.reset();
    strand_.reset();
  }
  void MarkContextGone() override { context_gone_ = true; }

  size_t in_flight() const { return in_flight_.load(); }

 private:
  void StartOnStrand(std::unique_ptr<Transfer> t) {
    if (torn_down_) return Finish(std::move(t), Reason::kInternal, "client is shut down", true);
    if (std::string error = Configure(*t); !error.empty()) {
      return Finish(std::move(t), Reason::kInternal, error, true);
    }
    t->added = Clock::now();
    CURL* easy = t->easy;
    const uint64_t id = t->id;
    transfers_.emplace(id, std::move(t));
    // Adding only asks (via OnTimer) for a zero timeout; the transfer starts
    // when that timer fires.
    if (CURLMcode mc = curl_multi_add_handle(multi_, easy); mc != CURLM_OK) {
      auto node = transfers_.extract(id);
      Finish(std::move(node.mapped()), Reason::kInternal,
             std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc), true);
    }
  }

  // Returns an error message, or "" when the easy handle is ready.
  static std::string Configure(Transfer& t) {
    t.easy = curl_easy_init();
    if (t.easy == nullptr) return "curl_easy_init failed";
    const HttpRequest& r = t.request;
    CURLcode rc = CURLE_OK;
    auto set = [&](CURLoption option, auto value) {
      if (rc == CURLE_OK) rc = curl_easy_setopt(t.easy, option, value);
    };
    set(CURLOPT_URL, r.url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    if (r.method == "HEAD") {
      set(CURLOPT_NOBODY, 1L);
    } else {
      // Setting a body alone would turn the request into a POST; the custom
      // method keeps e.g. a GET with a body a GET.
      if (r.method != "GET" || !r.body.empty()) set(CURLOPT_CUSTOMREQUEST, r.method.c_str());
      // POST/PUT/PATCH send "Content-Length: 0" even without a body.
      if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
        set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        set(CURLOPT_POSTFIELDS, r.body.c_str());
      }
    }
    bool has_expect = false;
    for (const auto& [name, value] : r.headers) {
      // "Name;" is curl's spelling for a header with an empty value.
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      t.header_list = curl_slist_append(t.header_list, line.c_str());
      has_expect = has_expect || Lower(name) == "expect";
    }
    // curl would otherwise send "Expect: 100-continue" for larger bodies and
    // stall up to 1 s for servers that ignore it, skewing the timings.
    if (!has_expect) t.header_list = curl_slist_append(t.header_list, "Expect:");
    set(CURLOPT_HTTPHEADER, t.header_list);
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(r.timeout.count(), 1)));
    set(CURLOPT_NOSIGNAL, 1L);
    // A fresh DNS lookup and connection per request keep every phase real.
    set(CURLOPT_FRESH_CONNECT, 1L);
    set(CURLOPT_FORBID_REUSE, 1L);
    set(CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    set(CURLOPT_FOLLOWLOCATION, 0L);
    set(CURLOPT_PRIVATE, static_cast<void*>(&t));
    set(CURLOPT_HEADERFUNCTION, &OnHeader);
    set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
    set(CURLOPT_WRITEFUNCTION, &OnBody);
    set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
    set(CURLOPT_ERRORBUFFER, t.error.data());
    set(CURLOPT_OPENSOCKETFUNCTION, &OnOpenSocket);
    set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(&t));
    if (r.tls.insecure_skip_verify) {
      set(CURLOPT_SSL_VERIFYPEER, 0L);
      set(CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!r.tls.ca_file.empty()) set(CURLOPT_CAINFO, r.tls.ca_file.c_str());
    if (!r.tls.cert_file.empty()) set(CURLOPT_SSLCERT, r.tls.cert_file.c_str());
    if (!r.tls.key_file.empty()) set(CURLOPT_SSLKEY, r.tls.key_file.c_str());
    if (rc != CURLE_OK) return std::string("curl_easy_setopt: ") + curl_easy_strerror(rc);
    // Only a timing aid: TLS backends without this option still work.
    curl_easy_setopt(t.easy, CURLOPT_SSL_CTX_FUNCTION, &OnSslContext);
    curl_easy_setopt(t.easy, CURLOPT_SSL_CTX_DATA, static_cast<void*>(&t));
    return "";
  }

  // curl's socket callback; runs inside a curl call, so on the strand.
  // Exceptions must not unwind through curl: -1 makes curl fail instead.
  static int OnSocket(CURL*, curl_socket_t fd, int what, void* user, void* socketp) noexcept try {
    auto* self = static_cast<Impl*>(user);
    auto* known = static_cast<SocketState*>(socketp);
    if (what == CURL_POLL_REMOVE) {
      if (known != nullptr) {
        known->removed = true;
        boost::system::error_code ignored;
        known->descriptor.cancel(ignored);
        // release(), not close(): curl closes the fd itself right after this
        // callback, and a second close could hit an fd number already reused.
        known->descriptor.release();
        self->sockets_.erase(fd);
      }
      return 0;
    }
    if (known == nullptr) {
      if (self->torn_down_) return 0;
      auto state = std::make_shared<SocketState>(*self->strand_, fd);
      self->sockets_[fd] = state;
      curl_multi_assign(self->multi_, fd, state.get());
      known = state.get();
    }
    known->want_read = (what & CURL_POLL_IN) != 0;
    known->want_write = (what & CURL_POLL_OUT) != 0;
    self->Arm(self->sockets_.at(fd));
    return 0;
  } catch (...) {
    return -1;
  }

  // Starts a wait for each wanted direction not already waited on.
  void Arm(const std::shared_ptr<SocketState>& s) {
    if (s->removed) return;
    if (s->want_read && !s->read_pending) {
      s->read_pending = true;
      s->descriptor.async_wait(asio::posix::descriptor_base::wait_read,
                               [weak = weak_from_this(), s](boost::system::error_code ec) {
                                 s->read_pending = false;
                                 OnReady(weak, s, ec, s->want_read, CURL_CSELECT_IN);
                               });
    }
    if (s->want_write && !s->write_pending) {
      s->write_pending = true;
      s->descriptor.async_wait(asio::posix::descriptor_base::wait_write,
                               [weak = weak_from_this(), s](boost::system::error_code ec) {
                                 s->write_pending = false;
                                 OnReady(weak, s, ec, s->want_write, CURL_CSELECT_OUT);
                               });
    }
  }

  static void OnReady(const std::weak_ptr<Impl>& weak, const std::shared_ptr<SocketState>& s,
                      boost::system::error_code ec, bool still_wanted, int event) {
    auto self = weak.lock();
    if (!self || ec || s->removed || !still_wanted) return;
    self->SocketAction(s->fd, event);
    self->Arm(s);  // only if still wanted and not removed by that action
  }

  // curl's timer callback. Calling curl from here is forbidden (re-entrancy),
  // so it only (re)arms the Asio timer; the curl call happens when it fires.
  static int OnTimer(CURLM*, long timeout_ms, void* user) noexcept try {
    auto* self = static_cast<Impl*>(user);
    // A handler that already completed and is queued still runs after
    // expires_after/cancel; the generation lets it see it was superseded.
    const uint64_t generation = ++self->timer_generation_;
    if (!self->timer_) return 0;
    if (timeout_ms < 0) {
      self->timer_->cancel();
      return 0;
    }
    self->timer_->expires_after(std::chrono::milliseconds(timeout_ms));
    self->timer_->async_wait(
        [weak = self->weak_from_this(), generation](boost::system::error_code ec) {
          auto self = weak.lock();
          if (!self || ec || generation != self->timer_generation_) return;
          self->SocketAction(CURL_SOCKET_TIMEOUT, 0);
        });
    return 0;
  } catch (...) {
    return -1;
  }

  void SocketAction(curl_socket_t fd, int event) {
    if (multi_ == nullptr) return;
    int running = 0;
    curl_multi_socket_action(multi_, fd, event, &running);
    // Drain finished transfers after every action.
    while (multi_ != nullptr) {
      int left = 0;
      CURLMsg* msg = curl_multi_info_read(multi_, &left);
      if (msg == nullptr) break;
      if (msg->msg != CURLMSG_DONE) continue;
      // msg is invalid once the handle is removed; copy what we need.
      CURL* easy = msg->easy_handle;
      const CURLcode rc = msg->data.result;
      char* priv = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
      auto node = transfers_.extract(reinterpret_cast<Transfer*>(priv)->id);
      curl_multi_remove_handle(multi_, easy);
      if (node.empty()) continue;
      std::unique_ptr<Transfer> t = std::move(node.mapped());
      if (t->too_large) {
        std::string error =
            "response body exceeds " + std::to_string(t->request.max_response_bytes) + " bytes";
        Finish(std::move(t), Reason::kInvalidResponse, std::move(error), true);
      } else {
        CurlFailureContext context;
        curl_off_t connected_us = 0;
        curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connected_us);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        context.connected = connected_us > 0;
        context.response_started = status > 0;
        context.socket_errno = t->socket_errno;
        context.last_descriptor = t->last_descriptor;
        const Reason reason = ClassifyCurlFailure(rc, context);
        std::string error;
        if (reason != Reason::kNone) error = t->error[0] ? t->error.data() : curl_easy_strerror(rc);
        if (reason == Reason::kInternal && IsResourceExhaustion(t->socket_errno)) {
          error += std::string(" (socket: ") + std::strerror(t->socket_errno) + ")";
        } else if (reason == Reason::kInternal && t->last_descriptor) {
          error += " (out of file descriptors)";
        }
        Finish(std::move(t), reason, std::move(error), true, /*curl_total=*/true);
      }
    }
  }

  // Stops one transfer that curl has not finished.
  void Abort(uint64_t id, const char* why) {
    auto node = transfers_.extract(id);
    if (node.empty()) return;  // already finished
    std::unique_ptr<Transfer> t = std::move(node.mapped());
    curl_multi_remove_handle(multi_, t->easy);
    Finish(std::move(t), Reason::kInternal, why, true);
  }

  // Fills in the response and completes the handler (posted to its executor,
  // never invoked inline) or, when !deliver, just destroys it.
  void Finish(std::unique_ptr<Transfer> t, Reason reason, std::string error, bool deliver,
              bool curl_total = false) {
    HttpResponse r = std::move(t->response);
    r.failure = reason;
    r.error = std::move(error);
    if (t->easy != nullptr) {
      const Clock::time_point now = Clock::now();
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      r.status = static_cast<int>(status);
      CurlMarks m;
      curl_easy_getinfo(t->easy, CURLINFO_NAMELOOKUP_TIME_T, &m.namelookup);
      curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &m.connect);
      curl_easy_getinfo(t->easy, CURLINFO_APPCONNECT_TIME_T, &m.appconnect);
      curl_easy_getinfo(t->easy, CURLINFO_STARTTRANSFER_TIME_T, &m.starttransfer);
      if (curl_total) {
        curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &m.total);
      } else if (t->added != Clock::time_point{}) {
        // curl only fixes the total when it finishes a transfer itself.
        m.total = std::chrono::duration_cast<std::chrono::microseconds>(now - t->added).count();
      }
      const bool https = IsHttps(t->request.url);
      if (https && m.connect == 0 && m.appconnect == 0 && t->tls_started) {
        // curl 7.88 reports no connect time at all when the TLS handshake
        // fails or times out, which would charge the handshake to `connect`.
        // Put the mark where TLS began, counted back from the end.
        const auto in_tls =
            std::chrono::duration_cast<std::chrono::microseconds>(now - *t->tls_started);
        m.connect = std::max<int64_t>(m.total - in_tls.count(), m.namelookup);
      }
      r.phases = ComputePhases(m, https);
    }
    Handler handler = std::move(t->handler);
    t.reset();  // curl_easy_cleanup; the handle was removed from multi_ already
    in_flight_.fetch_sub(1);
    if (!deliver || context_gone_) return;  // handler destroyed unrun
    // Post first (never run the caller's code inside our own call stack),
    // then dispatch to the handler's executor, as Asio's own operations do.
    // any_completion_executor cannot be posted to directly: it does not
    // support blocking.never.
    const auto inner = strand_->get_inner_executor();
    asio::post(inner, [h = std::move(handler), r = std::move(r), inner]() mutable {
      auto executor = asio::get_associated_executor(h, inner);
      asio::dispatch(executor, [h = std::move(h), r = std::move(r)]() mutable {
        // Our cancellation handler is done with. Clear it here, where the
        // caller emits its signals, so that clearing cannot race an emit.
        auto slot = asio::get_associated_cancellation_slot(h);
        if (slot.is_connected()) slot.clear();
        std::move(h)(std::move(r));
      });
    });
  }

  // Aborts every transfer and frees curl. Idempotent. REQUIRES: on the strand,
  // or the context is not running.
  void TearDown(bool deliver) {
    if (torn_down_) return;
    torn_down_ = true;
    std::vector<std::unique_ptr<Transfer>> aborted;
    for (auto& [id, t] : transfers_) aborted.push_back(std::move(t));
    transfers_.clear();
    for (auto& t : aborted) curl_multi_remove_handle(multi_, t->easy);
    ++timer_generation_;
    if (timer_) timer_->cancel();
    curl_multi_cleanup(multi_);  // may still report CURL_POLL_REMOVE
    multi_ = nullptr;
    for (auto& [fd, s] : sockets_) {
      s->removed = true;
      s->descriptor.release();
    }
    sockets_.clear();
    // Last: destroying an unrun handler may destroy a coroutine frame that
    // owns a client, which re-enters Shutdown; state is consistent by now.
    for (auto& t : aborted) Finish(std::move(t), Reason::kInternal, "aborted", deliver);
  }

  asio::execution_context& context_;
  std::shared_ptr<ContextWatch::Registry> registry_;
  std::optional<asio::strand<asio::any_io_executor>> strand_;  // reset when the context dies
  std::optional<asio::steady_timer> timer_;                    // reset when the context dies
  std::atomic<uint64_t> next_id_{1};
  std::atomic<size_t> in_flight_{0};
  std::atomic<bool> context_gone_{false};
  // On the strand:
  CURLM* multi_ = nullptr;
  uint64_t timer_generation_ = 0;
  bool torn_down_ = false;
  std::unordered_map<uint64_t, std::unique_ptr<Transfer>> transfers_;
  std::unordered_map<curl_socket_t, std::shared_ptr<SocketState>> sockets_;
};

namespace {

void ContextWatch::shutdown() {
  std::vector<std::shared_ptr<Watched>> live;
  {
    std::lock_guard lock(registry_->mu);
    for (const auto& w : registry_->impls) {
      if (auto impl = w.lock()) live.push_back(std::move(impl));
    }
  }
  // Mark all first: tearing one down may destroy a coroutine frame that
  // owns another client, whose destructor must then not post anywhere.
  for (const auto& impl : live) impl->MarkContextGone();
  for (const auto& impl : live) impl->OnContextShutdown();
}

}  // namespace

HttpClient::HttpClient(asio::any_io_executor executor)
    : impl_(std::make_shared<Impl>(std::move(executor))) {
  impl_->Watch();
}

HttpClient::~HttpClient() { impl_->Shutdown(); }

asio::awaitable<HttpResponse> HttpClient::Fetch(HttpRequest request) {
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(HttpResponse)>(
      [](Handler handler, std::shared_ptr<Impl> impl, HttpRequest req) {
        impl->Start(std::move(handler), std::move(req));
      },
      asio::use_awaitable, impl_, std::move(request));
}

void HttpClient::AbortAll() { impl_->AbortAll(); }

size_t HttpClient::in_flight() const { return impl_->in_flight(); }

}  // namespace sonde
