# sizer in a container: docker build -t sizer . && docker run -v "$PWD:/work" sizer plan /work/job.yaml
# The builder stage builds the .deb exactly as CI does; the runtime stage installs only that
# package (and the Debian libraries it depends on) and runs as an unprivileged user.
FROM debian:12 AS builder
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN bash scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build-package -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIZER_BUILD_TESTS=OFF \
 && cmake --build build-package -j"$(nproc)" \
 && cd build-package && cpack -G DEB

FROM debian:12
COPY --from=builder /src/build-package/sizer_*.deb /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/sizer_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/sizer_*.deb \
 && useradd --create-home --uid 10001 sizer
USER sizer
WORKDIR /work
ENTRYPOINT ["sizer"]
CMD ["--help"]
