import factory

from users.models import Role, User

PASSWORD = "Correct-Horse-9-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"listener{n}@example.com")
    username = factory.Sequence(lambda n: f"listener{n}")
    role = Role.USER
    country = "VN"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "catalog.Artist"

    name = factory.Sequence(lambda n: f"Nghệ sĩ {n}")
    country = "VN"
    description = "Ca sĩ, nhạc sĩ."


class SongFactory(factory.django.DjangoModelFactory):
    """A song credited to `artists` (first Primary, the rest Featured); a new artist by default."""

    class Meta:
        model = "catalog.Song"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bài hát {n}")
    duration = 215
    genre = "V-Pop"
    release_date = factory.Faker("date_between", start_date="-5y", end_date="today")

    @factory.post_generation
    def artists(song, create, extracted, **kwargs):
        from catalog.models import Relation, SongArtist

        if not create:
            return
        for index, artist in enumerate(extracted or [ArtistFactory()]):
            relation = Relation.PRIMARY if index == 0 else Relation.FEATURED
            SongArtist.objects.create(song=song, artist=artist, relation=relation, order=index)


class CollectionFactory(factory.django.DjangoModelFactory):
    """A collection owned by `owner`, holding `songs` in the given order."""

    class Meta:
        model = "collections_app.Collection"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Tuyển tập {n}")
    type = "Playlist"
    visibility = "Public"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def songs(collection, create, extracted, **kwargs):
        from collections_app.models import CollectionSong

        if create and extracted:
            CollectionSong.objects.bulk_create(
                CollectionSong(collection=collection, song=song, position=index + 1)
                for index, song in enumerate(extracted)
            )
