# Frontdesk's image: the app (`frontdesk serve`), also run as `frontdesk worker` and
# `frontdesk migrate` (compose.yaml). Build: docker build -t frontdesk .

# 1. The agent app and the website chat widget, built with Node.
FROM node:20-bookworm-slim AS web
WORKDIR /build
COPY frontend/package.json frontend/package-lock.json frontend/.npmrc frontend/
COPY widget/package.json widget/package-lock.json widget/.npmrc widget/
RUN cd frontend && npm ci --no-audit --no-fund \
    && cd ../widget && npm ci --no-audit --no-fund
COPY frontend/ frontend/
COPY widget/ widget/
RUN cd frontend && npm run build \
    && cd ../widget && npm run build

# 2. Python 3.11 with the pinned dependencies, the project, and the built files beside it.
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements/main.txt requirements/main.txt
RUN pip install -r requirements/main.txt
COPY pyproject.toml README.md LICENSE ./
COPY src/ src/
# Editable: the app serves frontend/dist and widget/dist from beside its source.
RUN pip install --no-deps -e .
COPY --from=web /build/frontend/dist frontend/dist
COPY --from=web /build/widget/dist widget/dist
RUN useradd --system --uid 10001 --no-create-home --home-dir /data frontdesk \
    && mkdir -p /data && chown frontdesk /data
USER frontdesk
ENV FRONTDESK_ENV=production \
    FRONTDESK_DATA_DIR=/data \
    FRONTDESK_LOG_FORMAT=json
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["frontdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
