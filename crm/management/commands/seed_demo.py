"""Demo data: a believable roster where tier differences show, or a large data set for benchmarks.

    manage.py seed_demo                      # ~200 influencers, 12 campaigns, ~400 partnerships
    manage.py seed_demo --influencers 100000 --deliverables 1000000

Idempotent: when the roster already holds influencers nothing is added (use --reset to rebuild).
The demo user is created if missing either way.
"""

import csv
import io
import math
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Campaign
from crm import roles
from crm.history import history_record_bulk
from crm.roles import user_assign_role
from influencers.models import Influencer, Interaction, Niche, Platform, SocialAccount
from influencers.services import influencers_recompute_audience
from influencers.tiers import tier_ranges
from partnerships.models import Deliverable, Partnership
from partnerships.services import (
    contract_value,
    partnerships_record_signing_tiers,
)

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - a published demo login, for local use only
# One demo user per role besides the admin: (username, first name, last name, role).
DEMO_ROLE_USERS = [
    ("marketer", "Mara", "Marketer", roles.MARKETER),
    ("viewer", "Vic", "Viewer", roles.VIEWER),
]

FIRST = [
    "Ava",
    "Liam",
    "Mia",
    "Noah",
    "Zoe",
    "Leo",
    "Ivy",
    "Max",
    "Ella",
    "Finn",
    "Lena",
    "Omar",
    "Nina",
    "Hugo",
    "Sara",
    "Theo",
    "Maya",
    "Luca",
    "Aria",
    "Ezra",
    "Chloe",
    "Jonas",
    "Elif",
    "Mateo",
    "Amara",
    "Kai",
    "Lucia",
    "Sami",
    "Nora",
    "Felix",
    "Yara",
    "Arjun",
    "Ines",
    "Tomas",
    "Hana",
]
LAST = [
    "Rivera",
    "Chen",
    "Okafor",
    "Novak",
    "Haddad",
    "Silva",
    "Berg",
    "Kowalski",
    "Tanaka",
    "Moreau",
    "Rossi",
    "Schmidt",
    "Ahmed",
    "Lopez",
    "Jensen",
    "Costa",
    "Ivanova",
    "Murphy",
    "Dubois",
    "Fischer",
    "Nakamura",
    "Patel",
    "Garcia",
    "Larsen",
    "Romero",
    "Weber",
    "Khan",
]
PLACES = [
    ("United Kingdom", "London"),
    ("United Kingdom", "Manchester"),
    ("Germany", "Berlin"),
    ("France", "Paris"),
    ("Spain", "Madrid"),
    ("Italy", "Milan"),
    ("Netherlands", "Amsterdam"),
    ("United States", "Los Angeles"),
    ("United States", "New York"),
    ("Sweden", "Stockholm"),
    ("Poland", "Warsaw"),
    ("Portugal", "Lisbon"),
]
PLATFORM_WEIGHTS = [
    (Platform.INSTAGRAM, 40),
    (Platform.TIKTOK, 30),
    (Platform.YOUTUBE, 15),
    (Platform.X, 5),
    (Platform.TWITCH, 4),
    (Platform.PINTEREST, 3),
    (Platform.OTHER, 3),
]
CAMPAIGN_NAMES = [
    "Spring glow launch",
    "Summer fitness challenge",
    "Back to school tech",
    "Holiday gifting",
    "Clean beauty reviews",
    "Game night community",
    "Healthy breakfast week",
    "City break travel",
    "Autumn fashion drop",
    "Family weekends",
    "Smart money basics",
    "Always-on ambassadors",
]
# Share of influencers per tier, lowest tier first; tiers beyond the list share the last weight.
TIER_SHARES = [0.35, 0.40, 0.18, 0.07]
# How likely a partnership with each tier is long-term (micro most open to it, per the seeds).
LONG_TERM_SHARE = [0.30, 0.50, 0.15, 0.10]
TOP_FOLLOWERS = 20_000_000
SEEDED_AUDITED = [Campaign, Influencer, SocialAccount, Partnership, Deliverable]


class Progress:
    """A one-line progress bar on stdout; silent when stdout is not a terminal and quiet is set."""

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total = stdout, label, max(total, 1)
        self.done = 0
        self.started = time.monotonic()

    def advance(self, count):
        self.done += count
        share = min(self.done / self.total, 1)
        bar = "#" * int(share * 30)
        self.stdout.write(
            f"\r  {self.label:<14} [{bar:<30}] {share:6.1%} {self.done:>9,}/{self.total:,}",
            ending="",
        )
        self.stdout.flush()

    def finish(self):
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"  {elapsed:.1f}s")


class Command(BaseCommand):
    help = "Create demo data (idempotent), or a large data set with --influencers/--deliverables."

    def add_arguments(self, parser):
        parser.add_argument("--influencers", type=int, default=200)
        parser.add_argument(
            "--deliverables",
            type=int,
            default=None,
            help="Total deliverables (default: about three per signed partnership).",
        )
        parser.add_argument(
            "--partnerships",
            type=int,
            default=None,
            help="Total partnerships (default: two per influencer).",
        )
        parser.add_argument(
            "--campaigns",
            type=int,
            default=None,
            help="Campaigns (default: 12, or one per 100 influencers for large data sets).",
        )
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all roster, campaign and partnership data first.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Kept for scripts: seeding only ever happens on an empty roster.",
        )

    def handle(self, *args, **options):
        self.rng = random.Random(options["seed"])
        self.batch = options["batch_size"]
        self.today = timezone.localdate()
        user = self.ensure_demo_user()

        if options["reset"]:
            self.reset()
        existing = Influencer.objects.count()
        if existing:
            self.stdout.write(
                f"Demo data already present ({existing:,} influencers): nothing added. "
                "Use --reset to rebuild."
            )
            self.print_login()
            return

        started = time.monotonic()
        n_influencers = max(options["influencers"], 1)
        n_partnerships = options["partnerships"] or n_influencers * 2
        self.ranges = tier_ranges()
        if not self.ranges:
            self.stderr.write("No tiers defined: run migrations first.")
            sys.exit(1)

        with transaction.atomic():
            n_campaigns = options["campaigns"] or max(12, n_influencers // 100)
            campaigns = self.create_campaigns(n_campaigns, user)
            influencers = self.create_influencers(n_influencers, user)
            partnerships = self.create_partnerships(influencers, campaigns, n_partnerships, user)
            self.fit_budgets(campaigns, partnerships)
            self.create_deliverables(partnerships, options["deliverables"])
            self.create_interactions(influencers[:200], user)
            self.record_history(user)
        self.analyse()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(influencers):,} influencers, {len(campaigns)} campaigns, "
                f"{len(partnerships):,} partnerships, {self.deliverable_total:,} deliverables "
                f"in {elapsed:.1f}s."
            )
        )
        self.print_login()

    # -- helpers --------------------------------------------------------------------------

    def record_history(self, user):
        """bulk_create writes no audit trail by itself: one INSERT ... SELECT per audited table."""
        progress = Progress(self.stdout, "history", len(SEEDED_AUDITED))
        for model in SEEDED_AUDITED:
            history_record_bulk(queryset=model.objects.all(), user=user, change_reason="seed_demo")
            progress.advance(1)
        progress.finish()

    def analyse(self):
        """Leave the tables as autovacuum would after a bulk load (it may be off, or not have
        run yet): planner statistics, and a visibility map so counts can read indexes alone
        (the dashboard's overdue count: 23-71 ms -> 0.2 ms at 1,000,000 deliverables). VACUUM
        cannot run inside a transaction (the tests'): there, statistics only."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")

    def print_login(self):
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        for username, _, _, role in DEMO_ROLE_USERS:
            self.stdout.write(f"  {role.lower()}: {username} / {DEMO_PASSWORD}")

    def ensure_demo_user(self):
        """The demo admin (returned) plus one user per other role, all with the demo password."""
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={
                "first_name": "Demo",
                "last_name": "Admin",
                "email": "demo@example.com",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user_assign_role(user=user, role=roles.ADMIN)
        for username, first_name, last_name, role in DEMO_ROLE_USERS:
            member, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                member.set_password(DEMO_PASSWORD)
                member.save(update_fields=["password"])
            user_assign_role(user=member, role=role)
        return user

    def reset(self):
        with transaction.atomic():
            Deliverable.objects.all().delete()
            Interaction.objects.all().delete()
            Partnership.objects.all().delete()
            Campaign.objects.all().delete()
            SocialAccount.objects.all().delete()
            Influencer.objects.all().delete()
        self.stdout.write("Removed existing roster, campaigns and partnerships.")

    def bulk(self, model, objects, label, total=None):
        """bulk_create in batches with a progress bar; returns the saved objects."""
        progress = Progress(self.stdout, label, total or len(objects))
        saved = []
        for start in range(0, len(objects), self.batch):
            chunk = objects[start : start + self.batch]
            saved.extend(model.objects.bulk_create(chunk, batch_size=self.batch))
            progress.advance(len(chunk))
        progress.finish()
        return saved

    def insert_rows(self, model, rows):
        """Insert rows given as {attname: value} dicts. On PostgreSQL with COPY: for a million
        deliverables, building model instances and bulk_create's parameter lists was most of
        the seed (about 150 s of 310 s on a slow machine). Elsewhere bulk_create."""
        if connection.vendor != "postgresql":
            model.objects.bulk_create([model(**row) for row in rows], batch_size=self.batch)
            return
        now = timezone.now()
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            else:
                defaults[f.attname] = None
        buffer = io.StringIO()
        # Every non-number is quoted, None as "" too: FORCE_NULL reads "" as NULL in the
        # nullable columns, and it stays an empty string in the others.
        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
        for row in rows:
            writer.writerow([row.get(f.attname, defaults[f.attname]) for f in fields])
        buffer.seek(0)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in fields)
        nullable = ", ".join(quote(f.column) for f in fields if f.null)
        options = f"FORMAT csv, FORCE_NULL ({nullable})" if nullable else "FORMAT csv"
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH ({options})", buffer)

    def followers_for(self, tier_index):
        tier_range = self.ranges[tier_index]
        low = max(tier_range.lower, 100)
        high = tier_range.upper - 1 if tier_range.upper else max(low * 8, TOP_FOLLOWERS)
        high = max(high, low + 1)
        # Log-uniform inside the band: many near the bottom, a few near the top.
        return int(math.exp(self.rng.uniform(math.log(low), math.log(high))))

    def tier_index_pick(self):
        weights = [
            TIER_SHARES[min(index, len(TIER_SHARES) - 1)] for index in range(len(self.ranges))
        ]
        return self.rng.choices(range(len(self.ranges)), weights=weights)[0]

    @staticmethod
    def engagement_for(followers, rng):
        # Smaller audiences engage more: about 8% at 1k, 4% at 100k, 2% at 10M.
        base = 14 - 1.5 * math.log10(max(followers, 10))
        return Decimal(str(round(min(max(base * rng.uniform(0.7, 1.3), 0.3), 25), 2)))

    @staticmethod
    def fee_for(followers, rng):
        # Fees grow slower than audiences, so larger tiers buy impressions cheaper (lower CPM).
        return Decimal(round(0.08 * max(followers, 500) ** 0.9 * rng.uniform(0.7, 1.3) + 50))

    # -- creators -------------------------------------------------------------------------

    def create_campaigns(self, count, user):
        objectives = list(Campaign.Objective)
        niches = list(Niche.objects.all())
        campaigns = []
        for index in range(count):
            # Spread over the last 18 months and the next two (a dozen: one every 45 days).
            start = self.today - timedelta(days=540) + timedelta(days=index * 600 // count)
            end = start + timedelta(days=self.rng.choice([30, 60, 90, 120]))
            if end < self.today:
                status = self.rng.choice(
                    [Campaign.Status.COMPLETED] * 4 + [Campaign.Status.CANCELLED]
                )
            elif start > self.today:
                status = Campaign.Status.PLANNING
            else:
                status = Campaign.Status.ACTIVE
            name = CAMPAIGN_NAMES[index % len(CAMPAIGN_NAMES)]
            if index >= len(CAMPAIGN_NAMES):
                name = f"{name} {index // len(CAMPAIGN_NAMES) + 1}"
            campaigns.append(
                Campaign(
                    name=name,
                    product=self.rng.choice(["Glow serum", "Active wear", "Smart home", "Snacks"]),
                    objective=objectives[index % len(objectives)],
                    status=status,
                    start_date=start,
                    end_date=end,
                    budget=Decimal(self.rng.choice([15_000, 25_000, 50_000, 80_000, 150_000])),
                    owner=user,
                    description="Demo campaign.",
                )
            )
        campaigns = Campaign.objects.bulk_create(campaigns)
        through = Campaign.target_niches.through
        through.objects.bulk_create(
            [
                through(campaign_id=campaign.pk, niche_id=niche.pk)
                for campaign in campaigns
                for niche in self.rng.sample(niches, k=min(2, len(niches)))
            ]
        )
        return campaigns

    def create_influencers(self, count, user):
        niches = list(Niche.objects.all())
        platforms = [p for p, _ in PLATFORM_WEIGHTS]
        weights = [w for _, w in PLATFORM_WEIGHTS]
        influencers, plans = [], []
        for index in range(count):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            country, city = self.rng.choice(PLACES)
            influencers.append(
                Influencer(
                    name=name,
                    email=f"creator{index}@example.com",
                    country=country,
                    city=city,
                    owner=user,
                    status=self.rng.choices(list(Influencer.Status), weights=[85, 10, 5])[0],
                )
            )
            tier_index = self.tier_index_pick()
            followers = self.followers_for(tier_index)
            n_accounts = self.rng.choice([1, 1, 2, 2, 3])
            chosen = []
            while len(chosen) < n_accounts:
                platform = self.rng.choices(platforms, weights=weights)[0]
                if platform not in chosen:
                    chosen.append(platform)
            plans.append((tier_index, followers, chosen))
        influencers = self.bulk(Influencer, influencers, "influencers")

        accounts, niche_links = [], []
        through = Influencer.niches.through
        for index, (influencer, (_, followers, chosen)) in enumerate(
            zip(influencers, plans, strict=True)
        ):
            # The primary account holds most of the audience; all of it stays in the tier band.
            shares = (
                [1.0] if len(chosen) == 1 else [0.7] + [0.3 / (len(chosen) - 1)] * (len(chosen) - 1)
            )
            handle_base = influencer.name.lower().replace(" ", "")
            for position, (platform, share) in enumerate(zip(chosen, shares, strict=True)):
                account_followers = int(followers * share)
                accounts.append(
                    SocialAccount(
                        influencer_id=influencer.pk,
                        platform=platform,
                        handle=f"{handle_base}{index}",
                        url=f"https://example.com/{platform}/{handle_base}{index}",
                        followers=account_followers,
                        engagement_rate=self.engagement_for(account_followers, self.rng),
                        is_primary=position == 0,
                    )
                )
            for niche in self.rng.sample(niches, k=self.rng.choice([1, 1, 2, 3])):
                niche_links.append(through(influencer_id=influencer.pk, niche_id=niche.pk))
        self.bulk(SocialAccount, accounts, "accounts")
        self.bulk(through, niche_links, "niche links")
        # Audience totals come from the accounts, through the same service the pages use.
        influencers_recompute_audience()
        self.plans = {inf.pk: plan for inf, plan in zip(influencers, plans, strict=True)}
        return influencers

    def create_partnerships(self, influencers, campaigns, total, user):
        statuses = list(Partnership.Status)
        status_weights = [8, 8, 8, 10, 20, 30, 8, 8]
        partnerships = []
        used = set()
        for index in range(total):
            influencer = (
                influencers[index % len(influencers)]
                if index < len(influencers)
                else (self.rng.choice(influencers))
            )
            tier_index, followers, _ = self.plans[influencer.pk]
            long_share = LONG_TERM_SHARE[min(tier_index, len(LONG_TERM_SHARE) - 1)]
            long_term = self.rng.random() < long_share
            status = self.rng.choices(statuses, weights=status_weights)[0]
            campaign = self.rng.choice(campaigns)
            if long_term and self.rng.random() < 0.4:
                campaign = None
            if campaign is not None and (influencer.pk, campaign.pk) in used:
                if not long_term:
                    continue  # one open deal per influencer and campaign
                campaign = None
            elif campaign is not None:
                used.add((influencer.pk, campaign.pk))
            fee = self.fee_for(followers, self.rng)
            anchor = (
                campaign.start_date
                if campaign
                else self.today - timedelta(days=self.rng.randint(0, 400))
            )
            fields = {
                "influencer_id": influencer.pk,
                "campaign": campaign,
                "collaboration_type": "long_term" if long_term else "one_off",
                "status": status,
                "owner": user,
            }
            if long_term:
                months = self.rng.choice([3, 6, 12])
                start = anchor
                end = start + timedelta(days=30 * months - 1)
                if status in (Partnership.Status.ACTIVE, Partnership.Status.CONTRACTED) and (
                    self.rng.random() < 0.3
                ):
                    end = self.today + timedelta(days=self.rng.randint(1, 45))
                    start = min(start, end - timedelta(days=60))
                retainer = (fee * Decimal("0.8")).quantize(Decimal("1"))
                one_time = fee if self.rng.random() < 0.2 else None
                fields.update(
                    start_date=start,
                    end_date=end,
                    monthly_retainer=retainer,
                    deliverables_per_month=self.rng.choice([2, 3, 4]),
                    fee=one_time,
                    auto_renew=self.rng.random() < 0.4,
                    exclusivity=self.rng.random() < 0.3,
                )
            else:
                fields.update(
                    fee=fee,
                    due_date=anchor + timedelta(days=self.rng.randint(7, 60)),
                    expected_deliverables=self.rng.choice([1, 2, 3, 4]),
                )
            fields["contract_value"] = contract_value(
                collaboration_type=fields["collaboration_type"],
                fee=fields.get("fee"),
                monthly_retainer=fields.get("monthly_retainer"),
                start_date=fields.get("start_date"),
                end_date=fields.get("end_date"),
            )
            if status in Partnership.SIGNED_STATUSES:
                fields["signed_on"] = (fields.get("start_date") or anchor) - timedelta(days=7)
            partnerships.append(Partnership(**fields))
        partnerships = self.bulk(Partnership, partnerships, "partnerships")
        partnerships_record_signing_tiers(queryset=Partnership.objects.all())
        return partnerships

    def fit_budgets(self, campaigns, partnerships):
        """Budgets a brand would have set: what its deals commit, give or take (mostly within)."""
        committed = {}
        for partnership in partnerships:
            if partnership.campaign_id and partnership.status not in ("declined", "cancelled"):
                committed[partnership.campaign_id] = (
                    committed.get(partnership.campaign_id, 0) + partnership.contract_value
                )
        for campaign in campaigns:
            planned = committed.get(campaign.pk, 0) * Decimal(str(self.rng.uniform(0.9, 1.5)))
            campaign.budget = max(Decimal(round(planned, -3)), Decimal("5000"))
        Campaign.objects.bulk_update(campaigns, ["budget"], batch_size=self.batch)

    def create_deliverables(self, partnerships, total):
        signed = [p for p in partnerships if p.status in Partnership.SIGNED_STATUSES]
        if total is None:
            total = len(signed) * 3
        self.deliverable_total = 0
        if not signed or total <= 0:
            return
        per, extra = divmod(total, len(signed))
        progress = Progress(self.stdout, "deliverables", total)
        kinds = list(Deliverable.Kind)
        chunk = []
        account_platforms = dict(
            SocialAccount.objects.filter(is_primary=True).values_list("influencer_id", "platform")
        )
        for position, partnership in enumerate(signed):
            count = per + (1 if position < extra else 0)
            _, followers, _ = self.plans[partnership.influencer_id]
            platform = account_platforms.get(partnership.influencer_id, Platform.INSTAGRAM)
            er = float(self.engagement_for(followers, self.rng)) / 100
            start = partnership.start_date or partnership.due_date or self.today
            for number in range(count):
                due = start + timedelta(days=7 * number + self.rng.randint(0, 6))
                published = partnership.status == Partnership.Status.COMPLETED or (
                    due < self.today and self.rng.random() < 0.9
                )
                fields = {
                    "partnership_id": partnership.pk,
                    "kind": self.rng.choice(kinds),
                    "platform": platform,
                    "due_date": due,
                }
                if published:
                    impressions = int(followers * self.rng.uniform(0.2, 0.6)) + 50
                    reach = int(impressions * self.rng.uniform(0.6, 0.9))
                    engaged = int(impressions * er * self.rng.uniform(0.7, 1.3))
                    clicks = int(reach * self.rng.uniform(0.005, 0.02))
                    conversions = int(clicks * self.rng.uniform(0.02, 0.08))
                    fields.update(
                        status=Deliverable.Status.PUBLISHED,
                        published_on=min(due, self.today),
                        url=f"https://example.com/p/{partnership.pk}/{number}",
                        impressions=impressions,
                        reach=reach,
                        likes=int(engaged * 0.8),
                        comments=int(engaged * 0.08),
                        shares=int(engaged * 0.06),
                        saves=int(engaged * 0.06),
                        clicks=clicks,
                        conversions=conversions,
                        revenue=Decimal(conversions * self.rng.randint(25, 60)),
                    )
                else:
                    fields["status"] = self.rng.choice(
                        [
                            Deliverable.Status.PLANNED,
                            Deliverable.Status.IN_REVIEW,
                            Deliverable.Status.APPROVED,
                        ]
                        if due >= self.today
                        else [Deliverable.Status.MISSED]
                    )
                chunk.append(fields)
                if len(chunk) >= self.batch:
                    self.insert_rows(Deliverable, chunk)
                    progress.advance(len(chunk))
                    chunk = []
        if chunk:
            self.insert_rows(Deliverable, chunk)
            progress.advance(len(chunk))
        progress.finish()
        self.deliverable_total = total

    def create_interactions(self, influencers, user):
        kinds = list(Interaction.Kind)
        Interaction.objects.bulk_create(
            [
                Interaction(
                    influencer_id=influencer.pk,
                    kind=self.rng.choice(kinds),
                    occurred_on=self.today - timedelta(days=self.rng.randint(0, 120)),
                    author=user,
                    summary=self.rng.choice(
                        [
                            "Intro call: interested in a spring collaboration.",
                            "Sent the brief and product samples.",
                            "Negotiated usage rights for paid social.",
                            "Checked in about next month's content plan.",
                        ]
                    ),
                )
                for influencer in influencers
            ]
        )
