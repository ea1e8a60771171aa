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
