#!/usr/bin/env python3
"""mock_portal.py - a stand-in for the national portal (DVCQG) for motcua's tests.

Serves, on 127.0.0.1:PORT, both transport profiles of the portal as
shared integration notes describe them:
  profile A: POST /mapi/login {username, password} -> {error_code, session};
             POST /mapi/g {session, madonvi, service, ...} for DongBoHoSoMC,
             CapNhatTienDoHoSoMC, TraCuuHoSo and DanhSachHoSo;
  profile B: POST /b/create, /b/update, /b/progress, /b/lookup, /b/list with a bare JSON
             array and "Authorization: Bearer TOKEN".
and the payment platform's INIT, QUERY and GET_BILL (POST /pay, by LoaiBanTin, signed
with MaXacThuc; pay_result and pay_bad_reply below).
It checks every field's presence, format and order, keeps what it accepted, and
misbehaves on request:
  POST /control {"fail": 0.2, "drop": 0.1, "slow": 0.5, "down": true,
                 "expire": true, "lost": 0.1}
    fail:   share of calls answered with an error (error_code 99, or HTTP 500)
    drop:   share of calls whose connection is closed without an answer
    lost:   share of calls applied but whose answer is lost (connection closed)
    slow:   seconds to wait before answering
    down:   every call's connection is closed (the portal is away)
    expire: every session now open is expired (the next call is refused)
    submit: dossiers filed on the portal, listed by DanhSachHoSo (/b/list)
            {maHoSo, maTTHC, hoTen, soCmnd, soDienThoai, diaChi, loaiDoiTuong,
             maDonVi, ngayNopHoSo, hoSoDinhKem: [{magiayto, tengiayto, filedinhkem}]}
    dup_list: DanhSachHoSo lists every dossier twice
  GET /state -> everything accepted, the counters and the format errors.
Usage: mock_portal.py PORT [USERNAME PASSWORD TOKEN]
"""
import hashlib
import json
import random
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATE = re.compile(r"^\d{14}$")
HOSO = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "KenhThucHien", "SoBienNhan",
        "SoGiayToChuHoSo", "ChuHoSo", "LoaiDoiTuong", "MaDoiTuong", "ThongTinKhac", "Email", "Fax",
        "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra",
        "ThongTinTra", "HinhThuc", "NgayKetThucXuLy", "DonViXuLy"]
HOSO_REQUIRED = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "LoaiDoiTuong",
                 "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "HinhThuc", "DonViXuLy"]
HOSO_DATES = ["NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayNopHoSo"]
HOSO_LISTS = ["TaiLieuNop", "DanhSachLePhi", "DanhSachTepDinhKemKhac", "DanhSachHoSoBoSung",
              "DanhSachGiayToKetQua"]
TIENDO = ["MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy",
          "TrangThai", "NgayBatDau", "NgayKetThucTheoQuyDinh"]
TIENDO_REQUIRED = ["MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai"]
MATTHC = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|\.[A-Z]\d{2})?$")

lock = threading.Lock()
ctl = {"fail": 0.0, "drop": 0.0, "lost": 0.0, "slow": 0.0, "down": False}
state = {"dossiers": {}, "progress": {}, "calls": 0, "logins": 0, "creates": 0, "updates": 0,
         "dup_new": 0, "update_unknown": 0, "progress_unknown": 0, "replayed": 0, "rows": 0,
         "format_errors": [], "failed": 0, "dropped": 0, "lost": 0, "expired_refusals": 0,
         "auth_refusals": 0}
sessions = {}
online = []          # dossiers filed on the portal (DanhSachHoSo)
USER, PASSWORD, TOKEN, UNIT = "motcua", "secret", "gateway-token", "000.00.00.H45"
PAY_PARTNER, PAY_SECRET = "MOTCUA", "pay-secret"
INIT_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan",
               "MaKenhThanhToan", "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich",
               "ThoiGianGD", "Ip"]


def pay_sign(values):
    return hashlib.sha256(("|".join(values) + "|" + PAY_SECRET).encode()).hexdigest()


def pay_init(b):
    """the payment platform's INIT: every field, in order, signed"""
    keys = [k for k in b.keys() if k in INIT_FIELDS]
    if keys != INIT_FIELDS:
        return {"MaLoi": "01", "MoTaLoi": bad("INIT fields missing or out of order: %s" % keys)}
    if any(not isinstance(b[k], str) for k in INIT_FIELDS) or not re.match(r"^\d+$", b["SoTien"]):
        return {"MaLoi": "01", "MoTaLoi": bad("INIT: every field a string, SoTien an integer")}
    if not DATE.match(b["ThoiGianGD"]) or int(b["ThoiGianGD"][8:10]) > 23:
        return {"MaLoi": "01", "MoTaLoi": bad("INIT: ThoiGianGD %r" % b["ThoiGianGD"])}
    if b.get("MaXacThuc") != pay_sign([b[k] for k in INIT_FIELDS]):
        with lock:
            state["pay_bad_sig"] = state.get("pay_bad_sig", 0) + 1
        return {"MaLoi": "02", "MoTaLoi": "Sai mã xác thực"}
    with lock:
        state.setdefault("pay_inits", []).append(b["MaThamChieu"])
        pay_amounts[b["MaThamChieu"]] = b["SoTien"]
    return {"MaLoi": "00", "UrlThanhToan": "http://127.0.0.1/thanhtoan?ref=" + b["MaThamChieu"]}


# ---- the payment platform's QUERY and GET_BILL (fees) ----------------------------------
# POST /control {"pay_result": {REF: "1" | "3" | "4"}} sets a transaction's TrangThaiGD
# (1 paid, 3 pending, 4 failed; pending until told); {"pay_bad_reply": true} signs the
# answers with a wrong secret (a forged platform).
QUERY_FIELDS = ["LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD"]
CONFIRM_FIELDS = ["LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich",
                  "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich"]
pay_amounts = {}     # MaThamChieu -> SoTien of its INIT
pay_results = {}     # MaThamChieu -> TrangThaiGD


def pay_check_query(b, kind):
    keys = [k for k in b.keys() if k in QUERY_FIELDS]
    if keys != QUERY_FIELDS or b.get("LoaiBanTin") != kind:
        return bad("%s fields missing or out of order: %s" % (kind, keys))
    if any(not isinstance(b[k], str) for k in QUERY_FIELDS) or not DATE.match(b["ThoiGianGD"]) \
            or int(b["ThoiGianGD"][8:10]) > 23:
        return bad("%s: every field a string, ThoiGianGD yyyyMMddHHmmss" % kind)
    if b.get("MaXacThuc") != pay_sign([b[k] for k in QUERY_FIELDS]):
        with lock:
            state["pay_bad_sig"] = state.get("pay_bad_sig", 0) + 1
        return "Sai mã xác thực"
    return None


def pay_reply_sign(d):
    secret = "forged" if ctl.get("pay_bad_reply") else PAY_SECRET
    d["MaXacThuc"] = hashlib.sha256(("|".join(str(d[k]) for k in CONFIRM_FIELDS) + "|" + secret).encode()).hexdigest()
    return d


def pay_query(b):
    """QUERY: the confirm's shape plus TrangThaiGD, signed like a confirm"""
    why = pay_check_query(b, "QUERY")
    if why:
        return {"MaLoi": "02", "MoTaLoi": why}
    ref = b["MaThamChieu"]
    with lock:
        state["pay_queries"] = state.get("pay_queries", 0) + 1
        known, amount, tt = ref in pay_amounts, pay_amounts.get(ref, "0"), pay_results.get(ref, "3")
    if not known:
        return {"MaLoi": "01", "MoTaLoi": "Không tìm thấy giao dịch"}
    d = {"LoaiBanTin": "QUERY", "MaLoi": "00", "MaDoiTac": b["MaDoiTac"], "MaThamChieu": ref, "SoTien": int(amount),
         "MaTienTe": "VND", "MaGiaoDich": "GD" + ref[-8:] if tt == "1" else "", "MaNganHang": "VCB" if tt == "1" else "",
         "ThoiGianGD": b["ThoiGianGD"], "ThongTinGiaoDich": "THANH TOAN", "TrangThaiGD": tt}
    return pay_reply_sign(d)


def pay_bill(b):
    """GET_BILL: the e-receipt's address (UrlBienLai) of a paid transaction"""
    why = pay_check_query(b, "GET_BILL")
    if why:
        return {"MaLoi": "02", "MoTaLoi": why}
    ref = b["MaThamChieu"]
    with lock:
        state["pay_bills"] = state.get("pay_bills", 0) + 1
        paid = pay_results.get(ref) == "1"
    if not paid:
        return {"MaLoi": "01", "MoTaLoi": "Giao dịch chưa thành công"}
    return {"MaLoi": "00", "MaThamChieu": ref, "UrlBienLai": "http://127.0.0.1/bienlai/%s.pdf" % ref}


def ordered(keys, spec):
    """the spec's fields present in keys appear in the spec's order"""
    seen = [k for k in keys if k in spec]
    return seen == [k for k in spec if k in seen]


def bad(msg):
    with lock:
        if len(state["format_errors"]) < 200:
            state["format_errors"].append(msg)
    return msg


def check_hoso(h):
    if not isinstance(h, dict):
        return bad("a HoSo is not an object")
    for k in HOSO_REQUIRED:
        if k not in h:
            return bad("HoSo %s lacks %s" % (h.get("MaHoSo"), k))
    for k, v in h.items():
        if k in HOSO_LISTS:
            if not isinstance(v, list):
                return bad("HoSo %s: %s is not a list" % (h.get("MaHoSo"), k))
        elif not isinstance(v, str):
            return bad("HoSo %s: %s is not a string" % (h.get("MaHoSo"), k))
    if not ordered(list(h.keys()), HOSO):
        return bad("HoSo %s: fields out of order" % h.get("MaHoSo"))
    for k in HOSO_DATES:
        if k in h and h[k] != "" and not DATE.match(h[k]):
            return bad("HoSo %s: %s is not yyyyMMddHHmmss: %r" % (h.get("MaHoSo"), k, h[k]))
    if not DATE.match(h["NgayTiepNhan"]):
        return bad("HoSo %s: NgayTiepNhan is required" % h["MaHoSo"])
    if h["TrangThaiHoSo"] not in [str(i) for i in range(1, 11)]:
        return bad("HoSo %s: TrangThaiHoSo %r" % (h["MaHoSo"], h["TrangThaiHoSo"]))
    if h["LoaiDoiTuong"] not in ("1", "2", "3", "4") or h["HinhThuc"] not in ("0", "1"):
        return bad("HoSo %s: LoaiDoiTuong or HinhThuc out of range" % h["MaHoSo"])
    if h.get("KenhThucHien", "1") not in ("1", "2", "3"):
        return bad("HoSo %s: KenhThucHien out of range" % h["MaHoSo"])
    for f in h.get("DanhSachLePhi", []):  # fees (paid ones): every field a string, Gia an integer
        if not isinstance(f, dict) or list(f.keys()) != ["TenPhiLePhi", "MaPhiLePhi", "HinhThucThu", "Gia", "LoaiPhiLePhi"] \
                or not all(isinstance(v, str) for v in f.values()) or not re.match(r"^\d+$", f["Gia"]):
            return bad("HoSo %s: DanhSachLePhi %r" % (h["MaHoSo"], f))
    if not MATTHC.match(h["MaTTHC"]):
        return bad("HoSo %s: MaTTHC %r is not a national code" % (h["MaHoSo"], h["MaTTHC"]))
    if len(h["TrichYeuHoSo"]) > 1000 or not h["MaHoSo"] or not h["DonViXuLy"]:
        return bad("HoSo %s: TrichYeuHoSo over 1000 characters or empty code/unit" % h["MaHoSo"])
    return None


def check_tiendo(t):
    if not isinstance(t, dict):
        return bad("a progress row is not an object")
    for k in TIENDO_REQUIRED:
        if k not in t:
            return bad("progress of %s lacks %s" % (t.get("MaHoSo"), k))
    for k, v in t.items():
        if not isinstance(v, str):
            return bad("progress of %s: %s is not a string" % (t.get("MaHoSo"), k))
    if not ordered(list(t.keys()), TIENDO):
        return bad("progress of %s: fields out of order" % t.get("MaHoSo"))
    if not DATE.match(t["ThoiDiemXuLy"]):
        return bad("progress of %s: ThoiDiemXuLy %r" % (t["MaHoSo"], t["ThoiDiemXuLy"]))
    for k in ("NgayBatDau", "NgayKetThucTheoQuyDinh"):
        if t.get(k, "") != "" and not DATE.match(t[k]):
            return bad("progress of %s: %s %r" % (t["MaHoSo"], k, t[k]))
    if t["TrangThai"] not in [str(i) for i in range(1, 11)]:
        return bad("progress of %s: TrangThai %r" % (t["MaHoSo"], t["TrangThai"]))
    if len(t["NguoiXuLy"]) > 50:
        return bad("progress of %s: NguoiXuLy over 50 characters" % t["MaHoSo"])
    return None


def ok(msg="Thành công", **kw):
    d = {"error_code": "0", "message": msg}
    d.update(kw)
    return d


def err(code, msg):
    return {"error_code": code, "message": msg}


def dongbo(data, updating):
    if updating not in ("True", "False"):
        return err(-1, "isUpdating phải là \"True\" hoặc \"False\"")
    if not isinstance(data, list) or len(data) != 1:
        return err(-1, "data phải là một mảng một hồ sơ")
    for h in data:
        m = check_hoso(h)
        if m:
            return err(-1, m)
    h = data[0]
    with lock:
        known = h["MaHoSo"] in state["dossiers"]
        state.setdefault("trace", {}).setdefault(h["MaHoSo"], []).append("%s:%s" % (updating, known))
        if updating == "False":
            if known:
                state["dup_new"] += 1
                return err(-3, "Hồ sơ %s đã tồn tại" % h["MaHoSo"])
            state["dossiers"][h["MaHoSo"]] = {"hoso": h, "updates": 0}
            state["creates"] += 1
        else:
            if not known:
                state["update_unknown"] += 1
                return err(4, "Hồ sơ %s chưa có trên Cổng" % h["MaHoSo"])
            state["dossiers"][h["MaHoSo"]]["hoso"] = h
            state["dossiers"][h["MaHoSo"]]["updates"] += 1
            state["updates"] += 1
    return ok("Đồng bộ hồ sơ thành công")


def tiendo(data):
    if not isinstance(data, list) or not 1 <= len(data) <= 10:
        return err(-1, "data phải là một mảng 1-10 dòng tiến độ")
    for t in data:
        m = check_tiendo(t)
        if m:
            return err(-1, m)
    with lock:
        for t in data:
            if t["MaHoSo"] not in state["dossiers"]:
                state["progress_unknown"] += 1
                return err(4, "Hồ sơ %s chưa có trên Cổng" % t["MaHoSo"])
        for t in data:
            rows = state["progress"].setdefault(t["MaHoSo"], [])
            if t in rows:  # the same row again: an answer that was lost, sent again
                state["replayed"] += 1
                continue
            rows.append(t)
            state["rows"] += 1
    return ok("Cập nhật tiến độ thành công")


def danhsach(body):
    for k in ("donViXuLy", "ngayNhan1", "ngayNhan2"):
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", body.get(k, "")) and k != "donViXuLy":
            return err(-1, bad("DanhSachHoSo: %s is not yyyy-MM-dd" % k))
    with lock:
        items = list(online)
        if ctl.get("dup_list"):
            items = items + items
    return {"error_code": "0", "data": items}


def tracuu(code):
    with lock:
        h = state["dossiers"].get(code)
        state.setdefault("trace", {}).setdefault(code, []).append("lookup:%s" % bool(h))
    return ok(result=[{"MaHoSo": code, "TrangThaiHoSo": h["hoso"]["TrangThaiHoSo"]}] if h else [])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def answer(self, obj, status=200):
        body = json.dumps(obj, ensure_ascii=False).encode()
        # one write (headers and body): two small writes meet Nagle and delayed ACKs
        head = ("HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                "Content-Length: %d\r\n\r\n" % (status, "OK" if status == 200 else "Error", len(body)))
        self.wfile.write(head.encode() + body)

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def do_GET(self):
        if self.path == "/state":
            with lock:
                self.answer(state)
        else:
            self.answer(err(-1, "not found"), 404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        if self.path == "/control":
            c = json.loads(raw or b"{}")
            with lock:
                if c.pop("expire", False):
                    sessions.clear()
                for it in c.pop("submit", []):
                    online.append(it)
                    # the portal has them: the one-stop's pushes are updates
                    state["dossiers"][it["maHoSo"]] = {"hoso": {"MaHoSo": it["maHoSo"], "TrangThaiHoSo": "1"},
                                                       "updates": 0, "online": True}
                pay_results.update(c.pop("pay_result", {}))
                if c.pop("reset", False):
                    for k in ("fail", "drop", "lost", "slow"):
                        ctl[k] = 0.0
                    ctl["down"] = False
                ctl.update(c)
            return self.answer(ok())
        with lock:
            down, slow = ctl["down"], ctl["slow"]
            r = random.random()
            fail = r < ctl["fail"]
            dropit = not fail and r < ctl["fail"] + ctl["drop"]
            lost = not fail and not dropit and r < ctl["fail"] + ctl["drop"] + ctl["lost"]
            state["calls"] += 1
        if down:
            return self.drop()
        if slow:
            time.sleep(slow)
        if dropit:
            with lock:
                state["dropped"] += 1
            return self.drop()
        if fail:
            with lock:
                state["failed"] += 1
            if random.random() < 0.5:
                return self.answer(err(99, "Lỗi hệ thống, thử lại sau"))
            return self.answer({"message": "Internal Server Error"}, 500)
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            return self.answer(err(-1, bad("Content-Type is not application/json")))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self.answer(err(-1, bad("the body is not UTF-8 JSON")))
        reply = self.route(body)
        if lost:
            with lock:
                state["lost"] += 1
            return self.drop()
        self.answer(reply)

    def route(self, body):
        p = self.path
        if p == "/pay":
            kind = body.get("LoaiBanTin") if isinstance(body, dict) else None
            if kind == "QUERY":
                return pay_query(body)
            if kind == "GET_BILL":
                return pay_bill(body)
            return pay_init(body)
        if p.startswith("/b/"):
            if self.headers.get("Authorization") != "Bearer " + TOKEN:
                with lock:
                    state["auth_refusals"] += 1
                return err(401, "Unauthorized")
            if p == "/b/create":
                return dongbo(body, "False")
            if p == "/b/update":
                return dongbo(body, "True")
            if p == "/b/progress":
                return tiendo(body)
            if p == "/b/list":
                return danhsach(body)
            if p == "/b/lookup":
                return tracuu(body.get("mahoso", ""))
            return err(-1, "unknown wrapper")
        if p == "/mapi/login":
            if body.get("username") != USER or body.get("password") != PASSWORD:
                return err(1, "Sai tên đăng nhập hoặc mật khẩu")
            s = "S%016x" % random.getrandbits(64)
            with lock:
                sessions[s] = time.time()
                state["logins"] += 1
            return {"error_code": 0, "session": s}
        if p != "/mapi/g":
            return err(-1, "unknown endpoint")
        keys = list(body.keys())
        if keys[:3] != ["session", "madonvi", "service"]:
            return err(-1, bad("envelope out of order: %s" % keys[:3]))
        with lock:
            live = body.get("session") in sessions
            if not live:
                state["expired_refusals"] += 1
        if not live:
            return err(2, "Phiên làm việc đã hết hạn")
        if body.get("madonvi") != UNIT:
            return err(-1, bad("madonvi %r" % body.get("madonvi")))
        svc = body.get("service")
        if svc == "DongBoHoSoMC":
            return dongbo(body.get("data"), body.get("isUpdating"))
        if svc == "CapNhatTienDoHoSoMC":
            if "isUpdating" in body:
                return err(-1, bad("CapNhatTienDoHoSoMC carries isUpdating"))
            return tiendo(body.get("data"))
        if svc == "DanhSachHoSo":
            return danhsach(body)
        if svc == "TraCuuHoSo":
            return tracuu(body.get("mahoso", ""))
        return err(-1, "unknown service %s" % svc)


def main():
    global USER, PASSWORD, TOKEN
    port = int(sys.argv[1])
    if len(sys.argv) > 4:
        USER, PASSWORD, TOKEN = sys.argv[2:5]
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.serve_forever()


if __name__ == "__main__":
    main()
