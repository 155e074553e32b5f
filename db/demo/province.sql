-- demo/province.sql - the demo province after the reform of 1 July 2025 (Decree
-- 118/2025), applied by 'motcua demo --province' on top of the demo catalog: the
-- provincial Public Administration Service Centre with two branches, six departments
-- (the Department of Industry and Trade, office 1, and five more), six commune centres
-- (the commune of the catalog and five more), one vertical agency.  The district office
-- of the catalog stays as it was (the 2018 model: history only).  The Department of
-- Industry and Trade resolves its 129 provincial procedures; every commune centre
-- resolves the former district procedures and the commune ones.
INSERT INTO offices(id, agency_code, name, level) VALUES
  (10, '000.00.70.H45', 'Trung tâm Phục vụ hành chính công tỉnh Quảng Ninh', 1),
  (11, '000.00.71.H45', 'Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Cẩm Phả', 1),
  (12, '000.00.72.H45', 'Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Móng Cái', 1),
  (20, '000.00.11.H45', 'Sở Tư pháp tỉnh Quảng Ninh', 1),
  (21, '000.00.13.H45', 'Sở Xây dựng tỉnh Quảng Ninh', 1),
  (22, '000.00.14.H45', 'Sở Nông nghiệp và Môi trường tỉnh Quảng Ninh', 1),
  (23, '000.00.15.H45', 'Sở Y tế tỉnh Quảng Ninh', 1),
  (24, '000.00.16.H45', 'Sở Giáo dục và Đào tạo tỉnh Quảng Ninh', 1),
  (30, '000.31.30.H45', 'Trung tâm Phục vụ hành chính công xã Tiên Yên', 3),
  (31, '000.31.31.H45', 'Trung tâm Phục vụ hành chính công phường Hạ Long', 3),
  (32, '000.31.32.H45', 'Trung tâm Phục vụ hành chính công phường Cẩm Phả', 3),
  (33, '000.31.33.H45', 'Trung tâm Phục vụ hành chính công phường Móng Cái 1', 3),
  (34, '000.31.34.H45', 'Trung tâm Phục vụ hành chính công xã Vân Đồn', 3),
  (40, '000.00.90.H45', 'Thuế cơ sở 1 tỉnh Quảng Ninh', 1);
UPDATE offices SET kind = 'centre' WHERE id = 10;
UPDATE offices SET kind = 'branch', parent_id = 10 WHERE id IN (11, 12);
UPDATE offices SET kind = 'department' WHERE id IN (1, 20, 21, 22, 23, 24);
UPDATE offices SET kind = 'commune' WHERE id IN (3, 30, 31, 32, 33, 34);
UPDATE offices SET kind = 'vertical' WHERE id = 40;
INSERT INTO office_procedures(office_id, procedure_id, role)
  SELECT 1, id, 'resolve' FROM procedures WHERE level = 1;
INSERT INTO office_procedures(office_id, procedure_id, role)
  SELECT o.id, p.id, 'resolve' FROM procedures p, offices o WHERE p.level IN (2, 3) AND o.id IN (3, 30, 31, 32, 33, 34);
INSERT INTO users(account, name, roles, office_id, dept_id) VALUES
  ('tt_clerk1', 'Nguyễn Thị Thu', 1, 10, NULL),
  ('tt_clerk2', 'Lê Văn Nam', 1, 10, NULL),
  ('cp_clerk1', 'Trần Thị Hằng', 1, 11, NULL),
  ('mc_clerk1', 'Phạm Văn Dũng', 1, 12, NULL),
  ('dn_clerk1', 'Hoàng Thị Nga', 1, 3, NULL),
  ('hl_clerk1', 'Vũ Thị Lan Anh', 1, 31, NULL);
-- the place written before the date on the forms of Circular 03/2025
INSERT OR REPLACE INTO settings(key, value) VALUES ('org.place', 'Quảng Ninh');
