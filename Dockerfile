# peerprog's image: Python 3.11 slim. Node.js is used only in the first stage,
# to fetch the pinned front-end packages exactly as scripts/assets.sh does on
# a developer's machine; it is not in the final image.

FROM node:20-slim AS assets
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY scripts/assets.sh scripts/assets.sh
RUN ./scripts/assets.sh

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Pango and a font for WeasyPrint, which makes the PDF letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
COPY --from=assets /src/static/vendor static/vendor
RUN useradd --system --create-home --home-dir /home/peerprog peerprog \
    && mkdir -p /app/staticfiles /app/media \
    && chown peerprog:peerprog /app/staticfiles /app/media
USER peerprog
EXPOSE 8000
# The worker class and counts are in gunicorn.conf.py.
CMD ["gunicorn", "peerprog.wsgi"]
