"""The Redis cache keeps one client per connection pool and behaves as Django's own."""

import pytest
import redis
from django.conf import settings

from config.cache import ReusingRedisCache


@pytest.fixture
def redis_cache():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis to cache in")
    cache = ReusingRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "test-config-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client(write=False) is client  # one server: one pool
    assert redis_cache.add("hits", 1, 60) is True
    assert redis_cache.add("hits", 5, 60) is False
    assert redis_cache.incr("hits") == 2
    redis_cache.set_many({"a": "甲", "b": {"n": 1}}, 60)
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": "甲", "b": {"n": 1}}
    assert redis_cache._cache.get_client() is client


def test_redis_down_raises_as_django_does():
    cache = ReusingRedisCache("redis://127.0.0.1:1/0", {})  # nothing listens there
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("anything")
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.set("anything", 1)
