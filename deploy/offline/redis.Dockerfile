# Stand-in for redis:7-bookworm from Debian's redis-server (7.0): redis-server and redis-cli on
# PATH, run as the redis user, data in /data. The compose file passes its own options.
ARG BASE=feedbackfirst-offline/debian:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
