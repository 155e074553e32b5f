/* test_procver.c - versioned procedures in the core: the same content makes no
 * version, changed content makes one with what changed, the version in force is kept
 * as it was; a dossier received before keeps its version (deadline, components) after
 * the change and after a replay of its events; an online dossier accepted later takes
 * the version in force when it was received; a later effective date waits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dossier.h"
#include "catalog_fetch.h"
#include "procver.h"
#include "store_procver.h"
#include "fixture.h"

#define PROC "1.001037"

static int setup(void **state)
{
	(void)state;
	fixture_setup("procver");
	C.now = at(2026, 12, 1, 8, 0);
	return 0;
}

static int teardown(void **state) { return fixture_teardown(state); }

static void as(const char *account) { fixture_as(account); }

/* the latest content of PROC, as a catalogue would give it again */
static struct procedure *current(void)
{
	struct procedure *p = malloc(sizeof *p);
	assert_non_null(p);
	assert_int_equal(procver_by_code_at(&C, PROC, C.now, p), 0);
	return p;
}

static int put(struct procedure *p, int64_t from, struct procver_out *o)
{
	struct err e = {0};
	struct procver_req r = {.p = p, .source = "csv", .effective_from = from};
	assert_int_equal(store_begin(C.st, &e), 0);
	int rc = procver_put(&C, &r, o, &e);
	if (rc)
		store_rollback(C.st);
	else
		assert_int_equal(store_commit(C.st, &e), 0);
	return rc;
}

static void receive(char code[CODE_LEN], struct dossier *d, int pending)
{
	struct err e = {0};
	struct procedure *p = current();
	struct receive_req r = {.procedure = PROC, .name = "Nguyễn Văn Bản", .idno = "022123456789",
				.components = (1u << p->ncomponents) - 1, .pending = pending, .channel = pending ? CH_ONLINE : 0};
	free(p);
	as("clerk1");
	if (dossier_receive(&C, &r, d, &e))
		fail_msg("%s", e.msg);
	snprintf(code, CODE_LEN, "%s", d->code);
}

static void versions(void **state)
{
	(void)state;
	struct procver_out o;
	struct procedure *p = current();
	int v1_committed = p->committed_direct, v1_comps = p->ncomponents;
	/* the demo catalog was written without versions: it reads as version 1 */
	assert_int_equal(p->version, 1);
	assert_int_equal(put(p, 0, &o), 0);
	assert_int_equal(o.what, PV_UNCHANGED);
	assert_int_equal(o.version, 1);

	char old[CODE_LEN], late[CODE_LEN], online[CODE_LEN];
	struct dossier d1, d2, d3;
	C.now = at(2026, 12, 2, 9, 0);
	receive(old, &d1, 0);
	receive(online, &d3, 1); /* filed online, accepted after the change */
	assert_int_equal(d1.proc_version, 1);

	/* a faster procedure with one more (optional) component: version 2 from now */
	C.now = at(2026, 12, 3, 10, 0);
	p->committed_direct = v1_committed > 1 ? v1_committed - 1 : 1;
	p->committed_online = p->committed_direct < p->statutory_online ? p->committed_direct : p->statutory_online;
	assert_true(p->ncomponents < MAX_COMPONENTS);
	snprintf(p->components[p->ncomponents].name, sizeof p->components[0].name, "Ảnh chân dung");
	p->components[p->ncomponents++].required = 0;
	assert_int_equal(put(p, 0, &o), 0);
	assert_int_equal(o.what, PV_VERSIONED);
	assert_int_equal(o.version, 2);
	assert_string_equal(o.changes, "times,components");
	assert_int_equal(o.effective_from, C.now);
	char words[256];
	procver_describe(o.changes, words, sizeof words);
	assert_non_null(strstr(words, "time limits"));
	/* the same content again: nothing */
	assert_int_equal(put(p, 0, &o), 0);
	assert_int_equal(o.what, PV_UNCHANGED);
	free(p);

	/* version 1 was kept as it was */
	int64_t id;
	struct procedure q;
	assert_int_equal(store_procedure_id(C.st, PROC, &id), 0);
	assert_int_equal(store_procver_get(C.st, id, 1, &q), 0);
	assert_int_equal(q.committed_direct, v1_committed);
	assert_int_equal(q.ncomponents, v1_comps);
	assert_int_equal(q.version, 1);

	/* the old dossier reads version 1, a new one version 2 */
	struct err e = {0};
	assert_int_equal(procver_of_dossier(&C, &d1, &q), 0);
	assert_int_equal(q.ncomponents, v1_comps);
	receive(late, &d2, 0);
	assert_int_equal(d2.proc_version, 2);
	assert_int_equal(procver_of_dossier(&C, &d2, &q), 0);
	assert_int_equal(q.ncomponents, v1_comps + 1);

	/* the online dossier filed before the change is accepted under version 1 */
	as("clerk1");
	assert_int_equal(dossier_accept(&C, online, &d3, &e), 0);
	assert_int_equal(d3.proc_version, 1);
	struct procedure v1;
	assert_int_equal(store_procver_get(C.st, id, 1, &v1), 0);
	assert_int_equal(d3.due_at, core_appointment(&C, &v1, CH_ONLINE, C.now));

	/* a replay of the old dossier's events gives the same row, version included */
	struct dossier before, after;
	memset(&before, 0, sizeof before);
	memset(&after, 0, sizeof after);
	store_dossier_get(C.st, old, &before);
	assert_int_equal(store_begin(C.st, &e), 0);
	assert_int_equal(dossier_rebuild(&C, old, &e), 0);
	assert_int_equal(store_commit(C.st, &e), 0);
	store_dossier_get(C.st, old, &after);
	assert_memory_equal(&before, &after, sizeof before);
	assert_int_equal(after.proc_version, 1);

	/* version 3 from a later day: version 2 until then */
	p = current();
	p->statutory_direct += 5;
	assert_int_equal(put(p, at(2026, 12, 10, 0, 0), &o), 0);
	assert_int_equal(o.version, 3);
	free(p);
	assert_int_equal(procver_at(&C, id, at(2026, 12, 9, 16, 0)), 2);
	assert_int_equal(procver_at(&C, id, at(2026, 12, 10, 7, 30)), 3);
	assert_int_equal(procver_at(&C, id, at(2026, 1, 1, 0, 0)), 1);
}

/* LayThuTuc entries into procedures: keys of any case, amounts as text, half days */
static void fetch_map(void **state)
{
	(void)state;
	struct err e = {0};
	struct procedure p;
	char nat[64], fnat[64], *fees = NULL;
	const char *good = "{\"MaTTHC\": \"2.002492\", \"TenTTHC\": \"Đăng ký khai sinh\","
		" \"LinhVucThucHien\": [{\"MaLinhVuc\": \"G09-HT\", \"TenLinhVuc\": \"Hộ tịch\"}],"
		" \"CapThucHien\": [{\"CapThucHien\": \"3\"}],"
		" \"CachThucThucHien\": [{\"Kenh\": \"2\", \"ThoiGian\": [{\"ThoiGianGiaiQuyet\": 1, \"DonViTinh\": \"Ngày\"}]},"
		"  {\"Kenh\": 1, \"ThoiGian\": [{\"ThoiGianGiaiQuyet\": \"0,5\", \"DonViTinh\": \"Ngày làm việc\","
		"   \"PhiLePhi\": [{\"MaPhiLePhi\": \"2\", \"SoTien\": \"Không\"}, {\"SoTien\": \"8.000 đồng\"}]}]}],"
		" \"ThanhPhanHoSo\": [{\"GiayTo\": [{\"TenGiayTo\": \"Tờ khai\"}, {\"TENGIAYTO\": \"Giấy chứng sinh\"}]}]}";
	json_t *j = json_loads(good, 0, NULL);
	assert_non_null(j);
	assert_int_equal(store_begin(C.st, &e), 0);
	assert_int_equal(catalog_fetch_map(&C, j, &p, nat, sizeof nat, fnat, sizeof fnat, &fees, &e), 0);
	assert_string_equal(p.code, "2.002492");
	assert_string_equal(nat, "2.002492");
	assert_string_equal(fnat, "G09-HT");
	assert_int_equal(p.level, 3);
	assert_int_equal(p.hours, 1);                 /* half a day: hours for both channels */
	assert_int_equal(p.statutory_direct, 4);
	assert_int_equal(p.statutory_online, 8);
	assert_int_equal(p.committed_direct, 4);
	assert_int_equal(p.fee, 0);                   /* "Không" */
	assert_non_null(fees);
	assert_non_null(strstr(fees, "8.000 đồng"));  /* the lines kept as given */
	assert_int_equal(p.ncomponents, 2);
	assert_string_equal(p.components[1].name, "Giấy chứng sinh");
	free(fees);
	json_decref(j);
	/* a unit motcua cannot count, no time, a code that is not national */
	const char *bad[] = {
		("{\"MATTHC\": \"2.002493\", \"TENTTHC\": \"X\", \"LINHVUCTHUCHIEN\": [{\"MALINHVUC\": \"F\"}],"
		 " \"CACHTHUCTHUCHIEN\": [{\"KENH\": 1, \"THOIGIAN\": [{\"THOIGIANGIAIQUYET\": 2, \"DONVITINH\": \"Tháng\"}]}]}"),
		"{\"MATTHC\": \"2.002494\", \"TENTTHC\": \"X\", \"LINHVUCTHUCHIEN\": [{\"MALINHVUC\": \"F\"}]}",
		"{\"MATTHC\": \"H45-1\", \"TENTTHC\": \"X\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = json_loads(bad[i], 0, NULL);
		assert_non_null(j);
		assert_int_equal(catalog_fetch_map(&C, j, &p, nat, sizeof nat, fnat, sizeof fnat, &fees, &e), MC_INVALID);
		assert_null(fees);
		json_decref(j);
	}
	store_rollback(C.st);
	/* 50.000 is fifty thousand */
	j = json_loads("{\"MATTHC\": \"2.002495\", \"TENTTHC\": \"Y\", \"LINHVUCTHUCHIEN\": [{\"MALINHVUC\": \"F\"}],"
		       " \"CACHTHUCTHUCHIEN\": [{\"KENH\": 1, \"THOIGIAN\": [{\"THOIGIANGIAIQUYET\": 3, \"DONVITINH\": \"Giờ\","
		       " \"PHILEPHI\": [{\"SOTIEN\": \"50.000\"}]}]}]}", 0, NULL);
	assert_int_equal(store_begin(C.st, &e), 0);
	assert_int_equal(catalog_fetch_map(&C, j, &p, nat, sizeof nat, fnat, sizeof fnat, &fees, &e), 0);
	assert_int_equal(p.fee, 50000);
	assert_int_equal(p.hours, 1);
	assert_int_equal(p.statutory_direct, 3);
	assert_int_equal(p.ncomponents, 0);
	store_rollback(C.st);
	free(fees);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(versions, setup, teardown),
		cmocka_unit_test_setup_teardown(fetch_map, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
