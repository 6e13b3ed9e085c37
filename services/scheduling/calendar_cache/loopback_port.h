#ifndef SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_LOOPBACK_PORT_H_
#define SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_LOOPBACK_PORT_H_

// A free port on 127.0.0.1 for a test's own Redis, or for one that must
// find nothing listening. Tests only.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace salesmeet::scheduling {

// A port the kernel just handed out and nothing listens on now: bound,
// then closed.
inline int UnusedLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace salesmeet::scheduling

#endif  // SALESMEET_SERVICES_SCHEDULING_CALENDAR_CACHE_LOOPBACK_PORT_H_
