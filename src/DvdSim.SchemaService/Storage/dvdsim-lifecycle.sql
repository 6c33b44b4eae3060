-- DvdSim level 4: the late-fee ledger, the inventory status audit trail and the analysis views.
-- Statements are separated by "-- statement" lines (see SchemaScripts).
-- The simulated present ("as of") is the end of the last week whose transactions are written.
-- statement
CREATE TABLE late_fee (
  rental_id INT UNSIGNED NOT NULL,
  customer_id INT UNSIGNED NOT NULL,
  days_late INT NOT NULL,
  amount DECIMAL(7,2) NOT NULL,
  billed_at DATETIME NOT NULL,
  paid_amount DECIMAL(7,2) NOT NULL DEFAULT 0,
  paid_at DATETIME NULL,
  written_off_amount DECIMAL(7,2) NOT NULL DEFAULT 0,
  written_off_at DATETIME NULL,
  PRIMARY KEY (rental_id),
  KEY idx_late_fee_customer (customer_id),
  KEY idx_late_fee_billed (billed_at),
  CONSTRAINT fk_late_fee_rental FOREIGN KEY (rental_id) REFERENCES rental (rental_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_late_fee_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE inventory_status_history (
  inventory_id INT UNSIGNED NOT NULL,
  changed_at DATETIME NOT NULL,
  status VARCHAR(16) NOT NULL,
  reason VARCHAR(96) NOT NULL,
  until DATETIME NULL,
  PRIMARY KEY (inventory_id, changed_at, status),
  KEY idx_status_until (status, until),
  CONSTRAINT fk_status_inventory FOREIGN KEY (inventory_id) REFERENCES inventory (inventory_id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE VIEW dvdsim_as_of AS
SELECT DATE_ADD(r.opening_date, INTERVAL 7 * COALESCE((SELECT MAX(s.week) FROM dvdsim_stage s WHERE s.stage = 'transactions'), 0) DAY) AS as_of
FROM dvdsim_run r WHERE r.run_key = 1
-- statement
CREATE VIEW customer_account AS
SELECT c.customer_id,
       c.store_id,
       p.segment,
       COALESCE(SUM(f.amount), 0) AS billed,
       COALESCE(SUM(f.paid_amount), 0) AS paid,
       COALESCE(SUM(f.written_off_amount), 0) AS written_off,
       COALESCE(SUM(f.amount - f.paid_amount - f.written_off_amount), 0) AS outstanding,
       COALESCE(SUM(IF(DATEDIFF(a.as_of, f.billed_at) < 30, f.amount - f.paid_amount - f.written_off_amount, 0)), 0) AS current_0_29,
       COALESCE(SUM(IF(DATEDIFF(a.as_of, f.billed_at) BETWEEN 30 AND 59, f.amount - f.paid_amount - f.written_off_amount, 0)), 0) AS days_30_59,
       COALESCE(SUM(IF(DATEDIFF(a.as_of, f.billed_at) BETWEEN 60 AND 89, f.amount - f.paid_amount - f.written_off_amount, 0)), 0) AS days_60_89,
       COALESCE(SUM(IF(DATEDIFF(a.as_of, f.billed_at) >= 90, f.amount - f.paid_amount - f.written_off_amount, 0)), 0) AS days_90_plus,
       CASE
         WHEN COALESCE(SUM(f.amount - f.paid_amount - f.written_off_amount), 0) = 0 THEN 'good standing'
         WHEN CAST(JSON_VALUE(r.scenario_json, '$.late_fee_payments.suspend_above_balance') AS DECIMAL(10,2)) > 0
              AND SUM(f.amount - f.paid_amount - f.written_off_amount) > CAST(JSON_VALUE(r.scenario_json, '$.late_fee_payments.suspend_above_balance') AS DECIMAL(10,2))
           THEN 'suspended'
         WHEN SUM(IF(DATEDIFF(a.as_of, f.billed_at) >= 60, f.amount - f.paid_amount - f.written_off_amount, 0)) > 0 THEN 'collections'
         WHEN SUM(IF(DATEDIFF(a.as_of, f.billed_at) >= 30, f.amount - f.paid_amount - f.written_off_amount, 0)) > 0 THEN 'overdue'
         ELSE 'current'
       END AS account_status
FROM customer c
JOIN customer_profile p ON p.customer_id = c.customer_id
LEFT JOIN late_fee f ON f.customer_id = c.customer_id
CROSS JOIN dvdsim_as_of a
CROSS JOIN dvdsim_run r
GROUP BY c.customer_id, c.store_id, p.segment, a.as_of, r.scenario_json
-- statement
CREATE VIEW accounts_receivable_ageing AS
SELECT SUM(billed) AS billed, SUM(paid) AS paid, SUM(written_off) AS written_off, SUM(outstanding) AS outstanding,
       SUM(current_0_29) AS current_0_29, SUM(days_30_59) AS days_30_59, SUM(days_60_89) AS days_60_89,
       SUM(days_90_plus) AS days_90_plus,
       SUM(account_status = 'suspended') AS suspended_accounts, SUM(account_status = 'good standing') AS good_standing_accounts
FROM customer_account
-- statement
CREATE VIEW late_fees_by_customer AS
SELECT f.customer_id, CONCAT(c.first_name, ' ', c.last_name) AS name, COUNT(*) AS late_returns,
       SUM(f.days_late) AS days_late, SUM(f.amount) AS billed, SUM(f.paid_amount) AS paid,
       SUM(f.written_off_amount) AS written_off, SUM(f.amount - f.paid_amount - f.written_off_amount) AS outstanding
FROM late_fee f JOIN customer c ON c.customer_id = f.customer_id
GROUP BY f.customer_id, c.first_name, c.last_name
-- statement
CREATE VIEW late_fees_by_film AS
SELECT i.film_id, fi.title, COUNT(*) AS late_returns, SUM(f.days_late) AS days_late, SUM(f.amount) AS billed,
       SUM(f.paid_amount) AS paid
FROM late_fee f JOIN rental r ON r.rental_id = f.rental_id JOIN inventory i ON i.inventory_id = r.inventory_id
JOIN film fi ON fi.film_id = i.film_id
GROUP BY i.film_id, fi.title
-- statement
CREATE VIEW late_fees_by_store AS
SELECT i.store_id, COUNT(*) AS late_returns, SUM(f.amount) AS billed, SUM(f.paid_amount) AS paid,
       SUM(f.written_off_amount) AS written_off, SUM(f.amount - f.paid_amount - f.written_off_amount) AS outstanding
FROM late_fee f JOIN rental r ON r.rental_id = f.rental_id JOIN inventory i ON i.inventory_id = r.inventory_id
GROUP BY i.store_id
-- statement
CREATE VIEW daily_late_revenue AS
SELECT DATE(p.payment_date) AS day, COUNT(*) AS payments, SUM(p.amount) AS late_fee_revenue
FROM payment p
WHERE p.payment_id % 4 = 1
GROUP BY DATE(p.payment_date)
-- statement
CREATE VIEW store_performance AS
SELECT i.store_id, DATE_FORMAT(r.rental_date, '%Y-%m') AS month, COUNT(*) AS rentals,
       COUNT(DISTINCT r.customer_id) AS customers, SUM(fi.rental_rate) AS rental_revenue,
       SUM(r.return_date IS NOT NULL AND DATEDIFF(r.return_date, r.rental_date) > fi.rental_duration) AS late_returns
FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film fi ON fi.film_id = i.film_id
GROUP BY i.store_id, DATE_FORMAT(r.rental_date, '%Y-%m')
-- statement
CREATE VIEW customer_behaviour AS
SELECT p.segment, COUNT(*) AS customers, SUM(p.churned_on IS NULL) AS active_customers,
       SUM(p.reactivated_on IS NOT NULL) AS reactivated, COALESCE(SUM(x.rentals), 0) AS rentals,
       ROUND(COALESCE(SUM(x.rentals), 0) / COUNT(*), 1) AS rentals_per_customer,
       COALESCE(SUM(a.outstanding), 0) AS outstanding
FROM customer_profile p
LEFT JOIN (SELECT customer_id, COUNT(*) AS rentals FROM rental GROUP BY customer_id) x ON x.customer_id = p.customer_id
LEFT JOIN (SELECT customer_id, SUM(amount - paid_amount - written_off_amount) AS outstanding FROM late_fee GROUP BY customer_id) a
  ON a.customer_id = p.customer_id
GROUP BY p.segment
-- statement
CREATE VIEW rental_lifecycle AS
SELECT r.rental_id, r.customer_id, r.inventory_id, r.rental_date, r.return_date,
       DATE_ADD(r.rental_date, INTERVAL fi.rental_duration DAY) AS due_date,
       CASE
         WHEN l.rental_id IS NOT NULL THEN 'lost'
         WHEN r.return_date IS NOT NULL THEN 'returned'
         WHEN DATEDIFF(a.as_of, r.rental_date) > fi.rental_duration THEN 'overdue'
         ELSE 'active'
       END AS status
FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film fi ON fi.film_id = i.film_id
LEFT JOIN rental_loss l ON l.rental_id = r.rental_id
CROSS JOIN dvdsim_as_of a
-- statement
CREATE VIEW rental_performance AS
SELECT DATE_FORMAT(r.rental_date, '%Y-%m') AS month, COUNT(*) AS rentals,
       SUM(r.return_date IS NOT NULL AND DATEDIFF(r.return_date, r.rental_date) <= fi.rental_duration) AS on_time,
       SUM(r.return_date IS NOT NULL AND DATEDIFF(r.return_date, r.rental_date) > fi.rental_duration) AS late,
       SUM(l.rental_id IS NOT NULL) AS lost,
       ROUND(AVG(TIMESTAMPDIFF(HOUR, r.rental_date, r.return_date)) / 24, 2) AS average_days_out
FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film fi ON fi.film_id = i.film_id
LEFT JOIN rental_loss l ON l.rental_id = r.rental_id
GROUP BY DATE_FORMAT(r.rental_date, '%Y-%m')
-- statement
CREATE VIEW inventory_status AS
SELECT i.inventory_id, i.film_id, i.store_id,
       CASE
         WHEN EXISTS (SELECT 1 FROM rental_loss l WHERE l.inventory_id = i.inventory_id) THEN 'lost'
         WHEN EXISTS (SELECT 1 FROM inventory_status_history h WHERE h.inventory_id = i.inventory_id AND h.status = 'damaged') THEN 'damaged'
         WHEN EXISTS (SELECT 1 FROM rental r WHERE r.inventory_id = i.inventory_id AND r.return_date IS NULL) THEN 'rented'
         WHEN EXISTS (SELECT 1 FROM inventory_status_history h CROSS JOIN dvdsim_as_of a
                      WHERE h.inventory_id = i.inventory_id AND h.status = 'maintenance' AND h.until > a.as_of) THEN 'maintenance'
         ELSE 'available'
       END AS status
FROM inventory i
