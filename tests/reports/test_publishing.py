"""Publishing: directors put done disclosure reports on /disclosure/; a published report never
changes, by any path; a correction is a new version with a published note."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reports import services
from reports.models import Report
from reports.tasks import generate_report_task

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_disclosure(dataset):
    report = make_report(
        kind="fund_quarterly_disclosure", station=dataset.fund_a.station, fund=dataset.fund_a
    )
    assert generate_report_task.apply(args=[report.pk]).get() == "done"
    report.refresh_from_db()
    return report


def test_the_director_publishes_a_done_disclosure(done_disclosure, cast):
    report = services.publish_report(report=done_disclosure, by=cast.director)
    assert report.is_published and report.published_by == cast.director


def test_only_the_stations_director_publishes(done_disclosure, cast):
    for user in (cast.finance_officer, cast.social_worker, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.publish_report(report=done_disclosure, by=user)
    assert not Report.objects.get(pk=done_disclosure.pk).is_published


def test_unfinished_or_internal_reports_are_not_published(dataset, network, cast):
    queued = make_report(
        kind="fund_quarterly_disclosure", station=network.street_a, fund=dataset.fund_a
    )
    with pytest.raises(ValidationError, match="只有已生成完成的报告可以公开"):
        services.publish_report(report=queued, by=cast.director)
    monthly = make_report(kind="station_monthly", station=network.street_a)
    generate_report_task.apply(args=[monthly.pk])
    monthly.refresh_from_db()
    with pytest.raises(ValidationError, match="只有信息公开类报告可以公开"):
        services.publish_report(report=monthly, by=cast.director)


def test_a_published_report_is_never_changed_by_the_services(done_disclosure, cast):
    report = services.publish_report(report=done_disclosure, by=cast.director)
    before = Report.objects.filter(pk=report.pk).values().get()
    # Asking for it again, or re-delivering its job, returns it as it is.
    again = services.request_report(
        kind=report.kind, fund=report.fund, period_start=report.period_start,
        period_end=report.period_end, by=cast.director,
    )  # fmt: skip
    assert again.pk == report.pk
    assert generate_report_task.apply(args=[report.pk]).get() == "already finished"
    assert (
        services.publish_report(report=report, by=cast.director).published_at == report.published_at
    )
    assert Report.objects.filter(pk=report.pk).values().get() == before


def test_a_published_report_refuses_edits_through_the_model(done_disclosure, cast):
    report = services.publish_report(report=done_disclosure, by=cast.director)
    report = Report.objects.get(pk=report.pk)
    report.correction_note = "悄悄改一下"
    with pytest.raises(ValidationError):
        report.save()
    with pytest.raises(ValidationError):
        report.delete()


@pytest.mark.postgres
def test_the_database_refuses_any_change_to_a_published_report(done_disclosure, cast):
    report = services.publish_report(report=done_disclosure, by=cast.director)
    with pytest.raises(IntegrityError, match="is published"), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(progress_step="改")
    with pytest.raises(IntegrityError, match="is published"), transaction.atomic():
        Report.objects.filter(pk=report.pk)._raw_delete(using="default")
    # An unpublished report is still an ordinary row.
    other = make_report(kind="station_monthly", station=report.station)
    assert Report.objects.filter(pk=other.pk).update(progress_step="ok") == 1


def test_a_correction_is_a_new_version_with_a_published_note(done_disclosure, cast, client):
    v1 = services.publish_report(report=done_disclosure, by=cast.director)
    with pytest.raises(ValidationError):
        services.correct_report(report=v1, by=cast.director, note="  ")
    v2 = services.correct_report(report=v1, by=cast.director, note="更正：一笔捐赠误记为调整。")
    assert (v2.version, v2.corrects_id, v2.status) == (2, v1.pk, Report.Status.QUEUED)
    # Only one correction at a time, and the unpublished one must be finished first.
    with pytest.raises(ValidationError, match="第2版尚未公开"):
        services.correct_report(report=v1, by=cast.director, note="再改")
    generate_report_task.apply(args=[v2.pk])
    v2 = services.publish_report(report=Report.objects.get(pk=v2.pk), by=cast.director)
    assert v2.is_published
    assert Report.objects.filter(kind=v1.kind, scope_key=v1.scope_key).count() == 2
    assert Report.objects.get(pk=v1.pk).published_at == v1.published_at  # v1 unchanged

    html = client.get("/disclosure/").content.decode()
    assert "更正：一笔捐赠误记为调整。" in html
    assert "第2版" in html and "已有更正版本" in html  # both versions public, v1 marked


def test_the_version_number_is_unique_per_kind_scope_and_period(done_disclosure):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(
            kind=done_disclosure.kind, station=done_disclosure.station, fund=done_disclosure.fund
        )


def test_a_correction_needs_a_note_in_the_database(done_disclosure):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(
            kind=done_disclosure.kind, station=done_disclosure.station,
            fund=done_disclosure.fund, version=2,
        )  # fmt: skip


def test_a_project_reports_correction_keeps_its_project_and_the_old_version(dataset, cast):
    project = dataset.project_2
    report = make_report(kind="project_final", station=project.station, project=project)
    generate_report_task.apply(args=[report.pk])
    v1 = services.publish_report(report=Report.objects.get(pk=report.pk), by=cast.director)
    v2 = services.correct_report(report=v1, by=cast.director, note="更正：结项日期有误。")
    assert (v2.project, v2.station, v2.scope_key) == (project, project.station, v1.scope_key)
    generate_report_task.apply(args=[v2.pk])
    services.publish_report(report=Report.objects.get(pk=v2.pk), by=cast.director)
    v1_now = Report.objects.get(pk=v1.pk)
    assert (v1_now.pdf_path, v1_now.published_at) == (v1.pdf_path, v1.published_at)
    with pytest.raises(ValidationError):
        v1_now.project = dataset.project_1
        v1_now.save()
