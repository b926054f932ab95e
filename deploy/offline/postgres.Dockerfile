# Stand-in for postgres:16-bookworm from Debian's postgresql-15: the entrypoint creates the cluster
# in /var/lib/postgresql/data on first start from POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB,
# as the official image does; pg_isready and psql are on PATH; runs as the postgres user.
ARG BASE=feedbackfirst-offline/debian:bookworm
FROM ${BASE}
# No "main" cluster from the package's postinst: the entrypoint makes the only one.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-common \
 && sed -ri 's/^#?\s*create_main_cluster.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
