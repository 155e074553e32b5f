#!/usr/bin/env python3
"""drive.py URL N - drives the mock portal directly (profile A, one keep-alive
connection): N dossiers, each a DongBoHoSoMC and a CapNhatTienDoHoSoMC of 5 rows,
as motcua sends them; prints the dossiers per second the mock takes."""
import http.client
import json
import sys
import time
from urllib.parse import urlparse

u = urlparse(sys.argv[1])
n = int(sys.argv[2])
c = http.client.HTTPConnection(u.hostname, u.port)
H = {"Content-Type": "application/json", "Accept": "application/json"}


def post(path, body):
    c.request("POST", path, json.dumps(body, ensure_ascii=False).encode(), H)
    return json.loads(c.getresponse().read())


s = post("/mapi/login", {"username": "motcua", "password": "secret"})["session"]
hoso = {"MaHoSo": "", "MaTTHC": "1.004552", "TenTTHC": "Cấp giấy phép", "MaLinhVuc": "XD", "TenLinhVuc": "Xăng dầu",
        "KenhThucHien": "1", "SoBienNhan": "", "SoGiayToChuHoSo": "022123456789", "ChuHoSo": "Nguyễn Văn A",
        "LoaiDoiTuong": "1", "MaDoiTuong": "", "ThongTinKhac": "", "Email": "", "Fax": "", "SoDienThoai": "0912345678",
        "TrichYeuHoSo": "Cấp giấy phép - Nguyễn Văn A", "NgayTiepNhan": "20240311080000", "NgayHenTra": "20240320170000",
        "TrangThaiHoSo": "10", "NgayTra": "20240319090000", "ThongTinTra": "", "HinhThuc": "0",
        "NgayKetThucXuLy": "20240318090000", "DonViXuLy": "Sở Công Thương", "TaiLieuNop": [], "DanhSachLePhi": [],
        "DanhSachTepDinhKemKhac": [], "DanhSachHoSoBoSung": [], "DanhSachGiayToKetQua": []}
row = {"MaHoSo": "", "NguoiXuLy": "Trần Văn Hùng", "ChucDanh": "", "ThoiDiemXuLy": "20240311080000",
       "PhongBanXuLy": "", "NoiDungXuLy": "Tiếp nhận hồ sơ", "TrangThai": "2", "NgayBatDau": "20240311080000",
       "NgayKetThucTheoQuyDinh": ""}
t0 = time.time()
for i in range(n):
    code = "DRIVE-%06d" % i
    hoso["MaHoSo"] = code
    r = post("/mapi/g", {"session": s, "madonvi": "000.00.00.H45", "service": "DongBoHoSoMC", "isUpdating": "False",
                         "data": [hoso]})
    rows = []
    for k in range(5):
        x = dict(row, MaHoSo=code, ThoiDiemXuLy="2024031108%02d00" % k)
        rows.append(x)
    r = post("/mapi/g", {"session": s, "madonvi": "000.00.00.H45", "service": "CapNhatTienDoHoSoMC", "data": rows})
dt = time.time() - t0
print("%.0f" % (n / dt))
