from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("", views.contact_page, name="form"),
    path("sent/<str:token>/", views.sent, name="sent"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<str:reference>/", views.message_detail, name="message"),
    path("inbox/<str:reference>/answer/", views.answer, name="answer"),
    path("inbox/<str:reference>/assign/", views.assign, name="assign"),
    path("inbox/<str:reference>/move/", views.move, name="move"),
    path("inbox/<str:reference>/release/", views.release, name="release"),
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_edit, name="topic_edit"),
]
