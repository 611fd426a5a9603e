from django.apps import AppConfig


def drop_cached_reads(sender, using="default", **kwargs):
    """A tier or niche changed: drop the cached tier ranges and niche list (crm/cache.py)."""
    from crm.cache import invalidate

    invalidate(using=using)


class InfluencersConfig(AppConfig):
    name = "influencers"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from influencers.models import Niche, Tier

        for model in (Tier, Niche):
            for signal in (post_save, post_delete):
                signal.connect(
                    drop_cached_reads,
                    sender=model,
                    dispatch_uid=f"influencers.cache.{signal is post_save}.{model.__name__}",
                )
