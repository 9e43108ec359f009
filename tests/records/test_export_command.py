"""702.7: `manage.py export_records` makes the same signed package from the command line, and
`manage.py verify_export` checks one."""

import json
from io import StringIO

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from posting.models import Incident, IncidentKind
from records.bag import check_bag
from records.models import CustodyEntry, ExportJob
from retention.archive import append
from retention.models import ArchiveRecord

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def bag_in(output: str):
    from pathlib import Path

    (line,) = [line for line in output.splitlines() if line.startswith("Bag: ")]
    return Path(line.removeprefix("Bag: "))


@pytest.fixture
def archive(city):
    traffic = city.published(title="Detour on Elm", category="traffic")
    library = city.published(title="Library hours")
    append(kind="published", payload={"post": {"title": "Elsewhere"}}, channel=city.mastodon)
    return {"traffic": traffic.archive_records.get(), "library": library.archive_records.get()}


def test_the_command_exports_what_its_filters_select_and_prints_the_bag(archive, tmp_path):
    output = run(
        "export_records",
        "--out",
        str(tmp_path),
        "--channel",
        "city-website",
        "--category",
        "traffic",
        "--query",
        "Elm",
    )
    bag = bag_in(output)
    assert bag.parent == tmp_path
    assert "Records: 1 selected; 1 in their stored bytes" in output
    assert "Signed. Tag manifest SHA-256" in output
    bagit.Bag(str(bag)).validate()
    assert [p.name for p in (bag / "data" / "records").iterdir()] == [
        f"{archive['traffic'].sequence}.json"
    ]
    query = json.loads(bagit.Bag(str(bag)).info["Query"])
    assert query == {"words": "Elm", "channel": "city-website", "category": "traffic"}


def test_dates_bound_the_export(archive, tmp_path):
    # The command reads its dates in the city's time zone, as the Clerk means them.
    day = timezone.localdate(archive["library"].recorded_at).isoformat()
    output = run("export_records", "--out", str(tmp_path), "--from", day, "--to", day)
    assert "Records: 3 selected" in output


def test_the_command_line_export_is_archived_with_who_ran_it(archive, tmp_path):
    run("export_records", "--out", str(tmp_path), "--zip")
    record = ArchiveRecord.objects.filter(kind="exported").get()
    assert record.payload["export"]["exported_by"]["name"].endswith("(command line)")
    assert record.payload["export"]["records"] == 3
    assert CustodyEntry.objects.get(action="exported").actor_label.endswith("(command line)")
    assert list(tmp_path.glob("records-export-*.zip"))


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--from", "yesterday"], "'yesterday' is not a date: write it as YYYY-MM-DD."),
        (["--from", "2026-03-02", "--to", "2026-03-01"], "--from must not come after --to."),
        (
            ["--channel", "myspace"],
            "No channel 'myspace'. Channels: city-website, sandbox-mastodon.",
        ),
        (["--category", "gossip"], "No category 'gossip'. Categories: announcement,"),
        (["--author", "nobody"], "No user 'nobody'."),
        (["--kind", "tweet"], "No kind of record 'tweet'. Kinds: published,"),
        (["--incident", "999"], "No incident '999': give the incident's number"),
        (["--incident", "gas"], "No incident 'gas': give the incident's number"),
    ],
)
def test_bad_arguments_get_a_clear_message_and_write_nothing(archive, tmp_path, arguments, message):
    with pytest.raises(CommandError) as refused:
        run("export_records", "--out", str(tmp_path / "out"), *arguments)
    assert str(refused.value).startswith(message)
    assert not (tmp_path / "out").exists()
    assert not ArchiveRecord.objects.filter(kind="exported").exists()


def water_main_break(city):
    """An incident opened by the Mayor's office: its opening is archived (702.4.1)."""
    return Incident.open(
        by=city.mayor,
        title="Water main break",
        kind=IncidentKind.PUBLIC_SAFETY,
        severity="moderate",
        area="Elm Street at 2nd Avenue",
        channels=[city.website],
        compilers=[city.poster],
    )


def test_702_4_1_an_incident_exports_its_posts_records_and_its_own(archive, city, tmp_path):
    incident = water_main_break(city)
    opened = ArchiveRecord.objects.get(kind=ArchiveRecord.Kind.INCIDENT_OPENED)
    output = run("export_records", "--out", str(tmp_path), "--incident", str(incident.pk))
    assert "Records: 1 selected" in output
    bag = bagit.Bag(str(bag_in(output)))
    bag.validate()
    assert [p.name for p in (bag_in(output) / "data" / "records").iterdir()] == [
        f"{opened.sequence}.json"
    ]
    assert json.loads(bag.info["Query"]) == {"incident": incident.pk}
    assert "incident " + str(incident.pk) + " (Water main break)" in bag.info["Query-Description"]


def test_out_must_be_a_folder(archive, tmp_path):
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a folder"):
        run("export_records", "--out", str(file))


def test_a_channel_may_be_named_by_its_name(archive, tmp_path):
    output = run("export_records", "--out", str(tmp_path), "--channel", "City website")
    assert "Records: 2 selected" in output


def test_verify_export_accepts_the_bag_and_its_zip(archive, tmp_path):
    output = run("export_records", "--out", str(tmp_path), "--zip")
    bag = bag_in(output)
    for target in (bag, bag.with_name(f"{bag.name}.zip")):
        verified = run("verify_export", str(target))
        # 3 records and their pages, the index, the media list and the custody log
        assert "verifies: 9 payload files match the manifest; signature good (Ed25519" in verified
        assert "Requester: " in verified


def test_verify_export_names_what_was_altered(archive, tmp_path):
    bag = bag_in(run("export_records", "--out", str(tmp_path)))
    record = bag / "data" / "records" / f"{archive['traffic'].sequence}.json"
    record.write_text(record.read_text().replace("Detour on Elm", "Detour on Oak"))
    with pytest.raises(CommandError) as refused:
        run("verify_export", str(bag))
    assert f"does not verify:\n  bag: {record.relative_to(bag)} sha256 validation failed" in str(
        refused.value
    )


def test_verify_export_refuses_a_bag_signed_by_another_key(archive, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from records.signing import public_key_pem

    bag = bag_in(run("export_records", "--out", str(tmp_path)))
    stranger = tmp_path / "stranger.pem"
    stranger.write_bytes(public_key_pem(Ed25519PrivateKey.generate()))
    with pytest.raises(CommandError, match="is not the trusted one"):
        run("verify_export", str(bag), "--public-key", str(stranger))
    assert check_bag(bag).valid  # its own key still verifies its signature


def test_after_the_key_is_rotated_an_older_bag_verifies_with_the_old_public_key(
    archive, tmp_path, settings
):
    """verify_export trusts the current key; a bag signed before a rotation is checked with the
    public key the city kept and published for it (README: Verifying an export)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from records.signing import fingerprint, public_key_pem

    def pem(key):
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.RECORDS_SIGNING_KEY = pem(old)
    bag = bag_in(run("export_records", "--out", str(tmp_path)))
    kept = tmp_path / "riverton-records-2026.pem"
    kept.write_bytes(public_key_pem(old))
    settings.RECORDS_SIGNING_KEY = pem(new)  # rotated
    with pytest.raises(CommandError, match="is not the trusted one"):
        run("verify_export", str(bag))
    verified = run("verify_export", str(bag), "--public-key", str(kept))
    assert f"signature good (Ed25519, public key SHA-256 {fingerprint(old)})" in verified
    exported = ArchiveRecord.objects.filter(kind="exported").latest("sequence")
    assert exported.payload["export"]["public_key_sha256"] == fingerprint(old)


def test_verify_export_needs_a_bag(tmp_path):
    with pytest.raises(CommandError, match="is neither a bag folder nor a zip file"):
        run("verify_export", str(tmp_path / "missing"))


def test_702_4_1_the_export_page_picks_an_incidents_records(archive, city, client):
    incident = water_main_break(city)
    city.sign_in_client(client, "clerk")
    page = client.get(reverse("records:exports"), {"incident": incident.pk})
    assert page.status_code == 200
    assert "1 record matches" in page.content.decode()
    client.post(reverse("records:export_new"), {"incident": incident.pk})
    assert ExportJob.objects.get().query == {"incident": incident.pk}
