from django.db import migrations

DEFAULT_TIERS = [
    ("Nano", 0, "#6c757d"),
    ("Micro", 1_000, "#198754"),
    ("Macro", 100_000, "#0d6efd"),
    ("Mega", 1_000_000, "#6f42c1"),
]

DEFAULT_NICHES = [
    ("Beauty", "beauty"),
    ("Fitness", "fitness"),
    ("Gaming", "gaming"),
    ("Food", "food"),
    ("Travel", "travel"),
    ("Tech", "tech"),
    ("Fashion", "fashion"),
    ("Parenting", "parenting"),
    ("Finance", "finance"),
    ("Lifestyle", "lifestyle"),
    ("Health & wellness", "health-wellness"),
    ("Home & interiors", "home-interiors"),
    ("Music", "music"),
    ("Sports", "sports"),
]


def add_defaults(apps, schema_editor):
    Tier = apps.get_model("influencers", "Tier")
    Niche = apps.get_model("influencers", "Niche")
    for name, min_followers, color in DEFAULT_TIERS:
        if not Tier.objects.filter(min_followers=min_followers).exists():
            Tier.objects.create(name=name, min_followers=min_followers, color=color)
    for name, slug in DEFAULT_NICHES:
        Niche.objects.get_or_create(slug=slug, defaults={"name": name})


def remove_defaults(apps, schema_editor):
    Tier = apps.get_model("influencers", "Tier")
    Niche = apps.get_model("influencers", "Niche")
    Tier.objects.filter(name__in=[name for name, _, _ in DEFAULT_TIERS]).delete()
    Niche.objects.filter(slug__in=[slug for _, slug in DEFAULT_NICHES]).delete()


class Migration(migrations.Migration):
    dependencies = [("influencers", "0002_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
