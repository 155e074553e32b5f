-- demo/province.sql - the demo province after the reform of 1 July 2025 (Decree
-- 118/2025), applied by 'motcua demo --province' on top of the demo catalog: the
-- provincial Public Administration Service Centre with two branches, six departments
-- (the Department of Industry and Trade, office 1, and five more), six commune centres
-- (the commune of the catalog and five more), one vertical agency.  The district office
-- of the catalog stays as it was (the 2018 model: history only).  The Department of
-- Industry and Trade resolves its 129 provincial procedures; every commune centre
-- resolves the former district procedures and the commune ones.  The second half of
-- this file gives every other department, the commune centres and the vertical agency
-- procedures of their own field, their divisions and users, and one liên thông
-- procedure (a land dossier with a commune's and the tax agency's parts).
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

-- ---- every resolving office's own procedures ------------------------------------
-- The divisions that resolve them: one per department and vertical agency, and one per
-- commune centre (a commune's procedures name the division of the catalog's commune,
-- office 3; a commune centre with a single division takes the dossier there).
INSERT INTO departments(id, office_id, code, name) VALUES
  (7, 20, 'HCTP', 'Phòng Hành chính tư pháp'),
  (8, 21, 'QLHDXD', 'Phòng Quản lý hoạt động xây dựng'),
  (9, 22, 'QLDD', 'Phòng Quản lý đất đai'),
  (10, 23, 'NVD', 'Phòng Nghiệp vụ Dược'),
  (11, 24, 'KTQLCL', 'Phòng Khảo thí và Quản lý chất lượng giáo dục'),
  (12, 40, 'KK', 'Đội Kê khai - Kế toán thuế'),
  (13, 30, 'VP-TY', 'Văn phòng HĐND và UBND xã Tiên Yên'),
  (14, 31, 'VP-HL', 'Văn phòng HĐND và UBND phường Hạ Long'),
  (15, 32, 'VP-CP', 'Văn phòng HĐND và UBND phường Cẩm Phả'),
  (16, 33, 'VP-MC', 'Văn phòng HĐND và UBND phường Móng Cái 1'),
  (17, 34, 'VP-VD', 'Văn phòng HĐND và UBND xã Vân Đồn');
-- each resolving office's one-stop clerk (it hands a routed dossier to its division),
-- the division's head and specialist, and the office's leader who signs; the commune
-- centres that had no clerk get one (they receive as well)
INSERT INTO users(account, name, roles, office_id, dept_id) VALUES
  ('tp_clerk', 'Đào Thị Huyền', 1, 20, NULL), ('tp_head', 'Nguyễn Văn Thành', 2, 20, 7),
  ('tp_spec', 'Lưu Thị Bích', 4, 20, 7), ('tp_leader', 'Trịnh Quang Huy', 8, 20, NULL),
  ('xd_clerk', 'Khúc Thị Vân', 1, 21, NULL), ('xd_head', 'Lại Văn Quyết', 2, 21, 8),
  ('xd_spec', 'Âu Minh Trí', 4, 21, 8), ('xd_leader', 'Tống Văn Hiếu', 8, 21, NULL),
  ('nm_clerk', 'Mạc Thị Thoa', 1, 22, NULL), ('nm_head', 'Chu Văn Đạt', 2, 22, 9),
  ('nm_spec', 'Kiều Thị Loan', 4, 22, 9), ('nm_leader', 'Phùng Đức Thắng', 8, 22, NULL),
  ('yt_clerk', 'Đàm Thị Quyên', 1, 23, NULL), ('yt_head', 'Ông Văn Tài', 2, 23, 10),
  ('yt_spec', 'Nghiêm Thị Hậu', 4, 23, 10), ('yt_leader', 'Vương Minh Châu', 8, 23, NULL),
  ('gd_clerk', 'Quách Thị Nhung', 1, 24, NULL), ('gd_head', 'Thân Văn Lợi', 2, 24, 11),
  ('gd_spec', 'Cù Thị Hiền', 4, 24, 11), ('gd_leader', 'La Văn Phúc', 8, 24, NULL),
  ('th_clerk', 'Giang Thị Tươi', 1, 40, NULL), ('th_head', 'Tạ Quang Vinh', 2, 40, 12),
  ('th_spec', 'Văn Thị Ánh', 4, 40, 12), ('th_leader', 'Hà Đức Toàn', 8, 40, NULL),
  ('dn_head', 'Nông Văn Kiên', 2, 3, 6), ('dn_spec', 'Lục Thị Dung', 4, 3, 6), ('dn_leader', 'Hứa Văn Hòa', 8, 3, NULL),
  ('ty_clerk', 'Sầm Thị Mến', 1, 30, NULL), ('ty_head', 'Lương Văn Tấn', 2, 30, 13),
  ('ty_spec', 'Triệu Thị Liên', 4, 30, 13), ('ty_leader', 'Hoàng Văn Sáng', 8, 30, NULL),
  ('hl_head', 'Vi Văn Chiến', 2, 31, 14), ('hl_spec', 'Đoàn Thị Xuân', 4, 31, 14), ('hl_leader', 'Cao Minh Hải', 8, 31, NULL),
  ('cp_xa_clerk', 'Mẫn Thị Hoa', 1, 32, NULL), ('cp_head', 'Lâm Văn Cương', 2, 32, 15),
  ('cp_spec', 'Tô Thị Ngân', 4, 32, 15), ('cp_leader', 'Bế Văn Khoa', 8, 32, NULL),
  ('mc_xa_clerk', 'Doãn Thị Phượng', 1, 33, NULL), ('mc_head', 'Lò Văn Định', 2, 33, 16),
  ('mc_spec', 'Ninh Thị Thủy', 4, 33, 16), ('mc_leader', 'Khổng Văn Bảo', 8, 33, NULL),
  ('vd_clerk', 'Mai Thị Hường', 1, 34, NULL), ('vd_head', 'Đinh Văn Lực', 2, 34, 17),
  ('vd_spec', 'Từ Thị Oanh', 4, 34, 17), ('vd_leader', 'Phí Văn Nghĩa', 8, 34, NULL);
INSERT INTO fields(id, code, name) VALUES
  (17, 'LLTP', 'Lý lịch tư pháp'),
  (18, 'CT', 'Chứng thực'),
  (19, 'HT', 'Hộ tịch'),
  (20, 'HDXD', 'Hoạt động xây dựng'),
  (21, 'DD', 'Đất đai'),
  (22, 'MT', 'Môi trường'),
  (23, 'DUOC', 'Dược phẩm'),
  (24, 'VBCC', 'Văn bằng, chứng chỉ'),
  (25, 'THUE', 'Thuế'),
  (26, 'HKD', 'Thành lập và hoạt động của hộ kinh doanh'),
  (27, 'CC', 'Công chứng');
-- The procedures.  Names are those of the national catalogue for each field.  The notes
-- the project works from (LAW.md; the Decision-766 index in its section 4) give NO
-- national code, time limit or fee for any of them: the code column holds a local demo
-- code and national_code says '[NOT FOUND]', as the notes mark what they lack.  The time
-- limits (working days, committed = statutory) and fees (đồng; 0 where the fee is set by
-- the province or none is known) are the demo's and must be checked against the
-- national catalogue (csdl.dichvucong.gov.vn) before any real use.
INSERT INTO procedures(id, code, name, level, field_id, dept_id, time_unit, statutory_direct,
  committed_direct, statutory_online, committed_online, fee, online_level, national_code) VALUES
  (147, 'QN.STP.01', 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam', 1, 17, 7, 'day', 10, 10, 10, 10, 200000, 'full', '[NOT FOUND]'),
  (148, 'QN.STP.02', 'Đăng ký hành nghề và cấp Thẻ công chứng viên', 1, 27, 7, 'day', 10, 10, 10, 10, 0, 'partial', '[NOT FOUND]'),
  (149, 'QN.SXD.01', 'Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II', 1, 20, 8, 'day', 20, 20, 20, 20, 0, 'partial', '[NOT FOUND]'),
  (150, 'QN.SXD.02', 'Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III', 1, 20, 8, 'day', 20, 20, 20, 20, 0, 'full', '[NOT FOUND]'),
  (151, 'QN.SNNMT.01', 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất', 1, 21, 9, 'day', 10, 10, 10, 10, 0, 'partial', '[NOT FOUND]'),
  (152, 'QN.SNNMT.02', 'Cấp giấy phép môi trường thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh', 1, 22, 9, 'day', 20, 20, 20, 20, 0, 'partial', '[NOT FOUND]'),
  (153, 'QN.SYT.01', 'Cấp Chứng chỉ hành nghề dược', 1, 23, 10, 'day', 20, 20, 20, 20, 500000, 'full', '[NOT FOUND]'),
  (154, 'QN.SYT.02', 'Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc', 1, 23, 10, 'day', 20, 20, 20, 20, 0, 'partial', '[NOT FOUND]'),
  (155, 'QN.SGDDT.01', 'Chỉnh sửa nội dung văn bằng, chứng chỉ', 1, 24, 11, 'day', 5, 5, 5, 5, 0, 'full', '[NOT FOUND]'),
  (156, 'QN.SGDDT.02', 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 1, 24, 11, 'day', 3, 3, 3, 3, 0, 'full', '[NOT FOUND]'),
  (157, 'QN.XA.01', 'Đăng ký khai sinh', 3, 19, 6, 'day', 1, 1, 1, 1, 0, 'full', '[NOT FOUND]'),
  (158, 'QN.XA.02', 'Đăng ký kết hôn', 3, 19, 6, 'day', 5, 5, 5, 5, 0, 'partial', '[NOT FOUND]'),
  (159, 'QN.XA.03', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận', 3, 18, 6, 'day', 1, 1, 1, 1, 2000, 'partial', '[NOT FOUND]'),
  (160, 'QN.XA.04', 'Đăng ký thành lập hộ kinh doanh', 3, 26, 6, 'day', 3, 3, 3, 3, 0, 'full', '[NOT FOUND]'),
  (161, 'QN.XA.05', 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', 3, 20, 6, 'day', 15, 15, 15, 15, 0, 'partial', '[NOT FOUND]'),
  (162, 'QN.THUE.01', 'Đăng ký thuế lần đầu đối với hộ kinh doanh, cá nhân kinh doanh', 1, 25, 12, 'day', 3, 3, 3, 3, 0, 'full', '[NOT FOUND]'),
  (163, 'QN.THUE.02', 'Cấp lại Giấy chứng nhận đăng ký thuế', 1, 25, 12, 'day', 3, 3, 3, 3, 0, 'full', '[NOT FOUND]');
INSERT INTO procedure_components(procedure_id, n, name, required) VALUES
  (147, 1, 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', 1),
  (147, 2, 'Bản chụp giấy tờ tùy thân của người được cấp Phiếu lý lịch tư pháp', 1),
  (147, 3, 'Văn bản ủy quyền (khi ủy quyền làm thủ tục)', 0),
  (148, 1, 'Đơn đề nghị đăng ký hành nghề và cấp Thẻ công chứng viên', 1),
  (148, 2, 'Bản sao quyết định bổ nhiệm công chứng viên', 1),
  (148, 3, 'Ảnh chân dung', 1),
  (149, 1, 'Đơn đề nghị cấp giấy phép xây dựng', 1),
  (149, 2, 'Bản sao giấy tờ chứng minh quyền sử dụng đất', 1),
  (149, 3, 'Bản vẽ thiết kế xây dựng', 1),
  (149, 4, 'Văn bản thông báo kết quả thẩm định thiết kế', 1),
  (150, 1, 'Đơn đề nghị cấp chứng chỉ hành nghề', 1),
  (150, 2, 'Văn bằng được đào tạo', 1),
  (150, 3, 'Bản khai kinh nghiệm hoạt động xây dựng', 1),
  (151, 1, 'Đơn đăng ký biến động đất đai, tài sản gắn liền với đất', 1),
  (151, 2, 'Bản gốc Giấy chứng nhận đã cấp', 1),
  (151, 3, 'Hợp đồng, văn bản về chuyển quyền sử dụng đất', 1),
  (152, 1, 'Văn bản đề nghị cấp giấy phép môi trường', 1),
  (152, 2, 'Báo cáo đề xuất cấp giấy phép môi trường', 1),
  (153, 1, 'Đơn đề nghị cấp Chứng chỉ hành nghề dược', 1),
  (153, 2, 'Bản sao văn bằng chuyên môn', 1),
  (153, 3, 'Giấy xác nhận thời gian thực hành chuyên môn', 1),
  (153, 4, 'Ảnh chân dung', 1),
  (154, 1, 'Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 1),
  (154, 2, 'Tài liệu kỹ thuật về địa điểm, trang thiết bị của cơ sở', 1),
  (154, 3, 'Bản sao Chứng chỉ hành nghề dược', 1),
  (155, 1, 'Đơn đề nghị chỉnh sửa văn bằng, chứng chỉ', 1),
  (155, 2, 'Văn bằng, chứng chỉ đề nghị chỉnh sửa', 1),
  (155, 3, 'Giấy tờ làm căn cứ chỉnh sửa', 1),
  (156, 1, 'Đơn đề nghị cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 1),
  (156, 2, 'Giấy tờ tùy thân của người đề nghị', 1),
  (157, 1, 'Tờ khai đăng ký khai sinh', 1),
  (157, 2, 'Giấy chứng sinh', 1),
  (158, 1, 'Tờ khai đăng ký kết hôn', 1),
  (158, 2, 'Giấy xác nhận tình trạng hôn nhân (khi đăng ký không tại nơi cư trú)', 0),
  (159, 1, 'Bản chính giấy tờ, văn bản làm cơ sở chứng thực bản sao', 1),
  (159, 2, 'Bản sao cần chứng thực', 1),
  (160, 1, 'Giấy đề nghị đăng ký hộ kinh doanh', 1),
  (160, 2, 'Bản sao giấy tờ pháp lý của chủ hộ kinh doanh', 1),
  (161, 1, 'Đơn đề nghị cấp giấy phép xây dựng', 1),
  (161, 2, 'Bản sao giấy tờ chứng minh quyền sử dụng đất', 1),
  (161, 3, 'Bản vẽ thiết kế xây dựng', 1),
  (162, 1, 'Tờ khai đăng ký thuế', 1),
  (162, 2, 'Bản sao giấy tờ tùy thân của chủ hộ kinh doanh', 1),
  (163, 1, 'Văn bản đề nghị cấp lại Giấy chứng nhận đăng ký thuế', 1);
-- they enter the catalogue with the reform: their first version is in force from
-- 1 July 2025 (00:00 Vietnam time), so reports of earlier periods stay as they were
INSERT INTO procedure_versions(procedure_id, version, effective_from, name, field_id, time_unit, statutory_direct,
  committed_direct, statutory_online, committed_online, fee, online_level, cutoff, source)
  SELECT id, 1, 1751302800, name, field_id, time_unit, statutory_direct, committed_direct, statutory_online,
  committed_online, fee, online_level, cutoff, 'initial' FROM procedures WHERE id >= 147;
INSERT INTO procedure_version_components(procedure_id, version, n, name, required)
  SELECT procedure_id, 1, n, name, required FROM procedure_components WHERE procedure_id >= 147;
-- who resolves them: the department or vertical agency of its division; a commune's
-- procedure every commune centre
INSERT INTO office_procedures(office_id, procedure_id, role)
  SELECT d.office_id, p.id, 'resolve' FROM procedures p JOIN departments d ON d.id = p.dept_id WHERE p.id >= 147 AND p.level = 1;
INSERT INTO office_procedures(office_id, procedure_id, role)
  SELECT o.id, p.id, 'resolve' FROM procedures p, offices o WHERE p.id >= 147 AND p.level = 3 AND o.id IN (3, 30, 31, 32, 33, 34);
-- liên thông: the land registration needs the commune where the land lies (the state of
-- its use) and the tax agency (the financial obligations), the department leading;
-- online dossiers go to all of them at once, paper ones from one to the next
INSERT INTO procedure_agencies(procedure_id, office_id, lead, ord, task, days) VALUES
  (151, 22, 1, 0, 'Thẩm định hồ sơ và cập nhật biến động', 4),
  (151, 30, 0, 1, 'Xác nhận hiện trạng sử dụng đất', 3),
  (151, 40, 0, 2, 'Xác định nghĩa vụ tài chính về đất đai', 3);
INSERT INTO procedure_flows(procedure_id, flow) VALUES (151, 'channel');
