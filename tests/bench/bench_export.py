"""Benchmark of the City Clerk's export (702.7): records per second and peak memory.

    python tests/bench/bench_export.py                      # 10,000, 50,000 and 100,000 records
    python tests/bench/bench_export.py --sizes 1000,5000    # quicker

The archive is filled once with 100,000 published records (bulk-inserted as a valid hash
chain; append() would take minutes and is not what is measured). Each export then runs in a
fresh process, so that its peak resident memory (VmHWM) belongs to that export alone;
the growth over the process's memory just before the export shows whether memory stays
flat as the count grows. Linux only (/proc/self/status). With DATABASE_URL set the figures are PostgreSQL's, in a database of
the benchmark's own that is dropped afterwards; otherwise SQLite under var/bench-export/.
Prints the figures; asserts nothing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VAR_DIR = ROOT / "var" / "bench-export"
os.environ["CITYSOCIAL_VAR_DIR"] = str(VAR_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")

RECORDS_PER_DAY = 1000
BATCH = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000", help="records per export")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure_one(args.child)

    sizes = sorted(int(size) for size in args.sizes.split(","))
    import django

    django.setup()
    from django.db import connection

    from citysocial import settings

    shutil.rmtree(VAR_DIR / "out", ignore_errors=True)
    settings.DATABASES["default"]["TEST"] = {
        **settings.DATABASES["default"].get("TEST", {}),
        "NAME": str(VAR_DIR / "bench.sqlite3")
        if connection.vendor == "sqlite"
        else "citysocial_bench_export",
    }
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        fill_archive(max(sizes))
        print(
            f"Archive: {max(sizes):,} records on {connection.vendor}, "
            f"filled in {time.perf_counter() - started:.1f} s"
        )
        print(
            f"{'records':>9} {'seconds':>8} {'records/s':>10} {'peak RSS MB':>12} "
            f"{'growth MB':>10} {'zip s':>6} {'bag MB':>7} {'zip MB':>7}"
        )
        for size in sizes:
            figures = run_child(size, database_url(connection))
            print(
                f"{figures['records']:>9,} {figures['seconds']:>8.1f} "
                f"{figures['records'] / figures['seconds']:>10,.0f} "
                f"{figures['peak_mb']:>12.1f} {figures['growth_mb']:>10.1f} "
                f"{figures['zip_seconds']:>6.1f} {figures['bag_mb']:>7.1f} {figures['zip_mb']:>7.1f}"
            )
        print("Memory stays flat when the growth column does not grow with the records.")
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )
        shutil.rmtree(VAR_DIR / "out", ignore_errors=True)


def fill_archive(count: int) -> None:
    """`count` records as the publishing worker leaves them, chained, a thousand a day."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from posting.models import Channel
    from retention.models import ArchiveHead, ArchiveRecord, sha256_hex

    channel = Channel.objects.create(
        name="City website", slug="city-website", platform="website", handle="riverton.example"
    )
    start = timezone.now() - timedelta(days=count // RECORDS_PER_DAY + 1)
    step = timedelta(days=1) / RECORDS_PER_DAY
    previous, batch = "0" * 64, []
    with transaction.atomic():
        for sequence in range(1, count + 1):
            recorded_at = start + step * sequence
            payload = published_payload(sequence, recorded_at)
            canonical = ArchiveRecord.envelope(
                sequence=sequence,
                kind="published",
                recorded_at=recorded_at,
                payload=payload,
                previous_digest=previous,
            )
            digest = sha256_hex(canonical)
            batch.append(
                ArchiveRecord(
                    sequence=sequence,
                    kind="published",
                    recorded_at=recorded_at,
                    channel=channel,
                    payload=payload,
                    canonical=canonical,
                    previous_digest=previous,
                    digest=digest,
                )
            )
            previous = digest
            if len(batch) == BATCH:
                ArchiveRecord.objects.bulk_create(batch)
                batch = []
        ArchiveRecord.objects.bulk_create(batch)
        ArchiveHead.objects.update_or_create(pk=1, defaults={"sequence": count, "digest": previous})


def published_payload(sequence: int, at) -> dict:
    """About the size of a real published record (1.5 kB): the post, approvals, the answer."""
    moment = at.isoformat()
    return {
        "post": {
            "id": sequence,
            "title": f"Street sweeping on route {sequence}",
            "body": (
                f"Crews sweep route {sequence} on Tuesday from 9 AM to 3 PM. Please move parked "
                "cars to the other side of the street. Details and a map of the route: "
                f"https://www.riverton.example/public-works/sweeping/{sequence}"
            ),
            "category": "announcement",
            "category_label": "702.4(a) Announcement",
            "author": {"id": 5, "username": "poster", "name": "Pat Nguyen"},
            "created_at": moment,
            "submitted_at": moment,
            "scheduled_for": None,
            "content_digest": f"{sequence:064x}",
        },
        "channel": {"id": 1, "name": "City website", "platform": "website", "handle": ""},
        "publication": {
            "id": sequence,
            "remote_id": f"news-{sequence}",
            "remote_url": f"https://www.riverton.example/news/{sequence}/",
            "published_at": moment,
            "attempts": 1,
        },
        "approvals": [
            {
                "reviewer": {"id": 2, "username": "supervisor", "name": "Sam Okafor"},
                "decision": "approved",
                "comment": "Clear and accurate.",
                "content_digest": f"{sequence:064x}",
                "decided_at": moment,
                "in_force": True,
                "equipment": "City laptop of supervisor",
            }
        ],
        "transitions": [
            {"from": "draft", "to": "submitted", "actor": "poster", "reason": "", "at": moment},
            {
                "from": "submitted",
                "to": "approved",
                "actor": "supervisor",
                "reason": "",
                "at": moment,
            },
        ],
        "platform_response": {"id": f"news-{sequence}", "status": "published"},
    }


def database_url(connection) -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}{password}@{host}:{port}/{db['NAME']}"


def run_child(size: int, url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(size)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"The export of {size:,} records failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_one(size: int) -> None:
    """In a fresh process: export the first `size` records, then zip the bag."""
    import django

    django.setup()
    from records.export import Exporter, export_records
    from records.zipping import zip_bag
    from retention.models import ArchiveRecord

    last = ArchiveRecord.objects.get(sequence=size).recorded_at
    query = {"date_to": last.isoformat()}
    out = VAR_DIR / "out" / str(size)
    out.mkdir(parents=True, exist_ok=True)
    who = Exporter.command_line()
    # A small export first: modules imported, template compiled, key read; then measure.
    warm = export_records(query={"date_to": first_day_end(query)}, out_dir=out, exporter=who)
    shutil.rmtree(warm.bag_path)
    baseline = memory_mb("VmRSS")
    started = time.perf_counter()
    result = export_records(query=query, out_dir=out, exporter=who)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    archive = zip_bag(result.bag_path, out / f"{result.bag_name}.zip")
    zip_seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    figures = {
        "records": result.records,
        "seconds": seconds,
        "zip_seconds": zip_seconds,
        "peak_mb": peak,
        "growth_mb": peak - baseline,
        "bag_mb": folder_mb(result.bag_path),
        "zip_mb": archive.stat().st_size / 2**20,
    }
    shutil.rmtree(out)
    print(json.dumps(figures))


def first_day_end(query) -> str:
    from retention.models import ArchiveRecord

    return ArchiveRecord.objects.get(sequence=10).recorded_at.isoformat()


def memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process. Not getrusage's ru_maxrss: a process
    started by fork keeps its parent's peak there, and the parent holds the whole archive."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("/proc/self/status is needed to measure memory (Linux).")


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


if __name__ == "__main__":
    main()
