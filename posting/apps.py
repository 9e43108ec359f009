from django.apps import AppConfig


class PostingConfig(AppConfig):
    name = "posting"
    verbose_name = "Channels and posts"
