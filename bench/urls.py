"""The project's URLs plus `/bench/bare-songs`: the same SQL statements as `GET /v1/song?limit=50`
(bounded count, the planner's estimate past it, the page, the credits) and the same JSON."""

import json

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

SONG_PAGE = """
SELECT s.id, s.title, s.thumbnail, s.thumbnail_url, s.duration, s.release_date, s.genre, s.views
  FROM catalog_song s ORDER BY s.created_at DESC, s.id LIMIT %s OFFSET %s
"""
CREDITS = """
SELECT sa.song_id, a.id, a.name FROM catalog_songartist sa JOIN catalog_artist a ON a.id = sa.artist_id
 WHERE sa.song_id = ANY(%s) ORDER BY sa."order", sa.id
"""


def bare_songs(request):
    limit, page = int(request.GET.get("limit", 50)), int(request.GET.get("page", 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT id FROM catalog_song LIMIT 10001) bounded")
        count = cursor.fetchone()[0]
        if count > 10000:
            cursor.execute("EXPLAIN (FORMAT json) SELECT id FROM catalog_song")
            count = max(count, int(cursor.fetchone()[0][0]["Plan"]["Plan Rows"]))
        cursor.execute(SONG_PAGE, [limit, (page - 1) * limit])
        songs = cursor.fetchall()
        cursor.execute(CREDITS, [[row[0] for row in songs]])
        credits: dict = {}
        for song_id, artist_id, name in cursor.fetchall():
            credits.setdefault(song_id, []).append({"artist": {"id": str(artist_id), "name": name}})
    data = [
        {
            "id": str(sid),
            "title": title,
            "thumbnailurl": thumb_url or None,
            "duration": duration,
            "releasedate": released.isoformat() if released else None,
            "genre": genre,
            "views": views,
            "artists": credits.get(sid, []),
        }
        for sid, title, thumb, thumb_url, duration, released, genre, views in songs
    ]
    base = request.build_absolute_uri(request.path)
    answer = {
        "count": count,
        "data": data,
        "page": page,
        "limit": limit,
        "next": f"{base}?limit={limit}&page={page + 1}" if page * limit < count else None,
        "previous": (f"{base}?limit={limit}&page={page - 1}" if page > 2 else f"{base}?limit={limit}")
        if page > 1
        else None,
    }
    return HttpResponse(json.dumps(answer), content_type="application/json")


urlpatterns = [path("bench/bare-songs", bare_songs), path("", include("hustmusik.urls"))]
