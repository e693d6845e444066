import pytest

from reports import files


def test_a_whole_file_is_renamed_into_place(settings, tmp_path):
    target = tmp_path / "run" / "report.csv"
    files.write_atomically(target, lambda out: out.write(b"a,b\n1,2\n"))
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.csv"]


def test_a_failure_mid_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "run" / "report.csv"

    def half_then_fail(out):
        out.write(b"a,b\n" * 10_000)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        files.write_atomically(target, half_then_fail)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left behind either


def test_a_failed_rewrite_keeps_the_old_whole_file(tmp_path):
    target = tmp_path / "report.pdf"
    files.write_atomically(target, lambda out: out.write(b"old whole file"))
    with pytest.raises(ZeroDivisionError):
        files.write_atomically(target, _half_then_zero_division)
    assert target.read_bytes() == b"old whole file"


def test_paths_cannot_leave_the_reports_directory(settings, tmp_path):
    settings.REPORTS_FILES_DIR = tmp_path
    with pytest.raises(ValueError):
        files.absolute("../../etc/passwd")


def _half_then_zero_division(out):
    out.write(b"new half")
    return 1 / 0
