FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir -r requirements/base.lock
COPY . .
RUN python -m config.translations \
 && DJANGO_DEBUG=1 python manage.py collectstatic --noinput --verbosity 0
RUN useradd --system --uid 1000 station && mkdir -p /app/var && chown -R station /app/var
USER station
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
