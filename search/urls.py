from django.urls import path

from search.selectors import SEARCHES
from search.views import SearchView, kind_view

urlpatterns = [
    path("<str:term>", SearchView.as_view(), name="search"),
    *(path(f"<str:term>/{kind}", kind_view(kind).as_view(), name=f"search-{kind}") for kind in SEARCHES),
]
