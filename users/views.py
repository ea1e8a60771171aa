from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hustmusik.permissions import IsSignedIn
from hustmusik.viewsets import DataEnvelopeMixin
from users.serializers import ProfileSerializer


class MeView(DataEnvelopeMixin, APIView):
    """The signed-in user's own profile."""

    permission_classes = [IsSignedIn]
    data_envelope = True

    @extend_schema(tags=["user"], operation_id="user_me_retrieve", responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user, context={"request": request}).data)
