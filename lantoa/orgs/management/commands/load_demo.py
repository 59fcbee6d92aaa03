"""`manage.py load_demo`: the Cà Mau demo, loaded once; later runs leave it as it is."""

from django.core.management.base import BaseCommand, CommandError

from lantoa.orgs.demo import accounts, loader, tree

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"


def _n(value: int) -> str:
    """A count with the Vietnamese thousands separator: 3.012."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu Đảng bộ Dân Chính Đảng tỉnh Cà Mau (chạy lại không tạo bản trùng)."

    def handle(self, *args, **options) -> None:
        try:
            summary = loader.load()
        except loader.DemoError as error:
            raise CommandError(str(error)) from error
        if summary is None:
            self.stdout.write("Dữ liệu mẫu Cà Mau đã được nạp trước đó: không thay đổi gì.")
        else:
            self._report(summary)
        self.stdout.write(
            f"Đăng nhập: {LOGIN_URL} — {accounts.ADMIN_USERNAME} / {accounts.DEMO_PASSWORD}"
        )

    def _report(self, summary: loader.Summary) -> None:
        merger = tree.MERGER_DATE.strftime("%d/%m/%Y")
        lines = [
            self.style.SUCCESS("Đã nạp dữ liệu mẫu Đảng bộ Dân Chính Đảng tỉnh Cà Mau:"),
            f"  Số tổ chức đảng: {_n(summary.organizations)}",
            f"  Số tổ chức cơ sở đảng trực thuộc Đảng bộ DCĐ: {_n(summary.base_organizations)}",
            f"  Số chi bộ trực thuộc đảng bộ cơ sở: {_n(summary.cells)}",
            f"  Số đảng viên: {_n(summary.people)}"
            f" ({_n(summary.with_private_data)} có thông tin cá nhân)",
            f"  Sáp nhập Đảng bộ Khối Doanh nghiệp ngày {merger}:"
            f" {_n(summary.merged_units)} tổ chức cơ sở đảng chuyển về Đảng bộ DCĐ",
        ]
        for app, counts in summary.apps.items():
            lines.append(f"  {app}:")
            lines += [f"    {what}: {_n(count)}" for what, count in counts.items()]
        lines += [
            f"Tài khoản mẫu (mật khẩu chung {accounts.DEMO_PASSWORD}):",
            f"  {accounts.ADMIN_USERNAME} — quản trị hệ thống",
        ]
        lines += [
            f"  {account.username} — {account.role} — {account.organization}"
            for account in summary.accounts
        ]
        self.stdout.write("\n".join(lines))
