# Stand-in for python:3.11-slim-bookworm from Debian's python3.11: python, python3 and pip at
# /usr/local/bin as in the official image. PEP 668's marker is lifted in this image only, so
# `pip install` works as it does in the official one (which has no system Python to protect).
ARG BASE=feedbackfirst-offline/debian:bookworm
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3.11 python3-pip ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED \
 && ln -s /usr/bin/python3.11 /usr/local/bin/python \
 && ln -s /usr/bin/python3.11 /usr/local/bin/python3 \
 && ln -s /usr/bin/pip3 /usr/local/bin/pip
ENV LANG=C.UTF-8
CMD ["python3"]
