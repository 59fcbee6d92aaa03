"""The Cà Mau demo data (Đảng bộ Dân Chính Đảng tỉnh Cà Mau), loaded by `manage.py load_demo`."""
