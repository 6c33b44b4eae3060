-- Sakila views, functions, procedures and the film_text triggers, for MariaDB 10.11 and MySQL 8.
-- Statements are separated by lines holding only the marker below; each is sent to the server
-- as one command, so routine bodies need no DELIMITER. Full-line comments are stripped before
-- sending.
-- Left out on purpose: the BEFORE INSERT triggers customer_create_date, rental_date and
-- payment_date of the Sakila data script. They overwrite create_date / rental_date /
-- payment_date with NOW(), which would erase simulated history.
-- Changed on purpose (see docs/schema.md):
--   * get_customer_balance is DvdSim's consistent balance: rental fees + late fees at the
--     run's late_fee_per_day + replacement costs of lost rentals - payments.
--   * rewards_report takes "last month" relative to the latest payment in the database
--     (the simulated present), not the machine's CURRENT_DATE.
--   * ids are INT UNSIGNED in parameters and temporary tables, as in the tables.
-- statement
CREATE VIEW customer_list AS
SELECT cu.customer_id AS ID,
       CONCAT(cu.first_name, ' ', cu.last_name) AS name,
       a.address AS address,
       a.postal_code AS `zip code`,
       a.phone AS phone,
       city.city AS city,
       country.country AS country,
       IF(cu.active, 'active', '') AS notes,
       cu.store_id AS SID
FROM customer AS cu
JOIN address AS a ON cu.address_id = a.address_id
JOIN city ON a.city_id = city.city_id
JOIN country ON city.country_id = country.country_id
-- statement
CREATE VIEW film_list AS
SELECT film.film_id AS FID,
       film.title AS title,
       film.description AS description,
       category.name AS category,
       film.rental_rate AS price,
       film.length AS length,
       film.rating AS rating,
       GROUP_CONCAT(CONCAT(actor.first_name, ' ', actor.last_name) SEPARATOR ', ') AS actors
FROM category
LEFT JOIN film_category ON category.category_id = film_category.category_id
LEFT JOIN film ON film_category.film_id = film.film_id
JOIN film_actor ON film.film_id = film_actor.film_id
JOIN actor ON film_actor.actor_id = actor.actor_id
GROUP BY film.film_id, category.name
-- statement
CREATE VIEW nicer_but_slower_film_list AS
SELECT film.film_id AS FID,
       film.title AS title,
       film.description AS description,
       category.name AS category,
       film.rental_rate AS price,
       film.length AS length,
       film.rating AS rating,
       GROUP_CONCAT(CONCAT(
           CONCAT(UCASE(SUBSTR(actor.first_name, 1, 1)), LCASE(SUBSTR(actor.first_name, 2, LENGTH(actor.first_name)))),
           ' ',
           CONCAT(UCASE(SUBSTR(actor.last_name, 1, 1)), LCASE(SUBSTR(actor.last_name, 2, LENGTH(actor.last_name)))))
         SEPARATOR ', ') AS actors
FROM category
LEFT JOIN film_category ON category.category_id = film_category.category_id
LEFT JOIN film ON film_category.film_id = film.film_id
JOIN film_actor ON film.film_id = film_actor.film_id
JOIN actor ON film_actor.actor_id = actor.actor_id
GROUP BY film.film_id, category.name
-- statement
CREATE VIEW staff_list AS
SELECT s.staff_id AS ID,
       CONCAT(s.first_name, ' ', s.last_name) AS name,
       a.address AS address,
       a.postal_code AS `zip code`,
       a.phone AS phone,
       city.city AS city,
       country.country AS country,
       s.store_id AS SID
FROM staff AS s
JOIN address AS a ON s.address_id = a.address_id
JOIN city ON a.city_id = city.city_id
JOIN country ON city.country_id = country.country_id
-- statement
CREATE VIEW sales_by_store AS
SELECT CONCAT(c.city, ',', cy.country) AS store,
       CONCAT(m.first_name, ' ', m.last_name) AS manager,
       SUM(p.amount) AS total_sales
FROM payment AS p
INNER JOIN rental AS r ON p.rental_id = r.rental_id
INNER JOIN inventory AS i ON r.inventory_id = i.inventory_id
INNER JOIN store AS s ON i.store_id = s.store_id
INNER JOIN address AS a ON s.address_id = a.address_id
INNER JOIN city AS c ON a.city_id = c.city_id
INNER JOIN country AS cy ON c.country_id = cy.country_id
INNER JOIN staff AS m ON s.manager_staff_id = m.staff_id
GROUP BY s.store_id
ORDER BY cy.country, c.city
-- statement
CREATE VIEW sales_by_film_category AS
SELECT c.name AS category,
       SUM(p.amount) AS total_sales
FROM payment AS p
INNER JOIN rental AS r ON p.rental_id = r.rental_id
INNER JOIN inventory AS i ON r.inventory_id = i.inventory_id
INNER JOIN film AS f ON i.film_id = f.film_id
INNER JOIN film_category AS fc ON f.film_id = fc.film_id
INNER JOIN category AS c ON fc.category_id = c.category_id
GROUP BY c.name
ORDER BY total_sales DESC
-- statement
CREATE SQL SECURITY INVOKER VIEW actor_info AS
SELECT a.actor_id,
       a.first_name,
       a.last_name,
       GROUP_CONCAT(DISTINCT CONCAT(c.name, ': ',
           (SELECT GROUP_CONCAT(f.title ORDER BY f.title SEPARATOR ', ')
            FROM film f
            INNER JOIN film_category fc ON f.film_id = fc.film_id
            INNER JOIN film_actor fa ON f.film_id = fa.film_id
            WHERE fc.category_id = c.category_id
              AND fa.actor_id = a.actor_id))
         ORDER BY c.name SEPARATOR '; ') AS film_info
FROM actor a
LEFT JOIN film_actor fa ON a.actor_id = fa.actor_id
LEFT JOIN film_category fc ON fa.film_id = fc.film_id
LEFT JOIN category c ON fc.category_id = c.category_id
GROUP BY a.actor_id, a.first_name, a.last_name
-- statement
CREATE FUNCTION get_customer_balance(p_customer_id INT UNSIGNED, p_effective_date DATETIME) RETURNS DECIMAL(12,2)
    DETERMINISTIC
    READS SQL DATA
BEGIN
  -- The balance a customer owes at p_effective_date, by the rules DvdSim bills with:
  --   1) the rental rate of every film rented up to that moment,
  --   2) late fees for returns up to that moment: each day past rental_duration
  --      (counted by calendar day) at the run late_fee_per_day,
  --   3) the replacement cost of every rental declared lost up to that moment,
  --   4) minus every payment up to that moment,
  --   5) minus late fees written off up to that moment (DvdSim's receivables, level 4).
  DECLARE v_rentfees DECIMAL(12,2);
  DECLARE v_written_off DECIMAL(12,2);
  DECLARE v_overdue_days INT;
  DECLARE v_late_fee_per_day DECIMAL(6,2);
  DECLARE v_lost DECIMAL(12,2);
  DECLARE v_payments DECIMAL(12,2);

  SELECT IFNULL(SUM(film.rental_rate), 0) INTO v_rentfees
  FROM rental
  JOIN inventory ON inventory.inventory_id = rental.inventory_id
  JOIN film ON film.film_id = inventory.film_id
  WHERE rental.customer_id = p_customer_id
    AND rental.rental_date <= p_effective_date;

  SELECT IFNULL(SUM(GREATEST(CAST(TO_DAYS(rental.return_date) AS SIGNED) - TO_DAYS(rental.rental_date) - CAST(film.rental_duration AS SIGNED), 0)), 0)
    INTO v_overdue_days
  FROM rental
  JOIN inventory ON inventory.inventory_id = rental.inventory_id
  JOIN film ON film.film_id = inventory.film_id
  WHERE rental.customer_id = p_customer_id
    AND rental.return_date IS NOT NULL
    AND rental.return_date <= p_effective_date;

  -- Sakila charged 1.00 a day; a database without run metadata falls back to that.
  SELECT IFNULL(MAX(late_fee_per_day), 1.00) INTO v_late_fee_per_day FROM dvdsim_run;

  SELECT IFNULL(SUM(rental_loss.replacement_cost), 0) INTO v_lost
  FROM rental
  JOIN rental_loss ON rental_loss.rental_id = rental.rental_id
  WHERE rental.customer_id = p_customer_id
    AND rental_loss.declared_on <= p_effective_date;

  SELECT IFNULL(SUM(payment.amount), 0) INTO v_payments
  FROM payment
  WHERE payment.customer_id = p_customer_id
    AND payment.payment_date <= p_effective_date;

  SELECT IFNULL(SUM(late_fee.written_off_amount), 0) INTO v_written_off
  FROM late_fee
  WHERE late_fee.customer_id = p_customer_id
    AND late_fee.written_off_at <= p_effective_date;

  RETURN v_rentfees + v_overdue_days * v_late_fee_per_day + v_lost - v_payments - v_written_off;
END
-- statement
CREATE FUNCTION inventory_held_by_customer(p_inventory_id INT UNSIGNED) RETURNS INT UNSIGNED
    READS SQL DATA
BEGIN
  DECLARE v_customer_id INT UNSIGNED;
  DECLARE EXIT HANDLER FOR NOT FOUND RETURN NULL;

  SELECT customer_id INTO v_customer_id
  FROM rental
  WHERE return_date IS NULL
    AND inventory_id = p_inventory_id;

  RETURN v_customer_id;
END
-- statement
CREATE FUNCTION inventory_in_stock(p_inventory_id INT UNSIGNED) RETURNS BOOLEAN
    READS SQL DATA
BEGIN
  -- A copy is in stock if it was never rented or every rental of it has come back.
  DECLARE v_rentals INT;
  DECLARE v_out INT;

  SELECT COUNT(*) INTO v_rentals
  FROM rental
  WHERE inventory_id = p_inventory_id;

  IF v_rentals = 0 THEN
    RETURN TRUE;
  END IF;

  SELECT COUNT(rental_id) INTO v_out
  FROM inventory LEFT JOIN rental USING (inventory_id)
  WHERE inventory.inventory_id = p_inventory_id
    AND rental.return_date IS NULL;

  IF v_out > 0 THEN
    RETURN FALSE;
  ELSE
    RETURN TRUE;
  END IF;
END
-- statement
CREATE PROCEDURE film_in_stock(IN p_film_id INT UNSIGNED, IN p_store_id INT, OUT p_film_count INT)
    READS SQL DATA
BEGIN
  SELECT inventory_id
  FROM inventory
  WHERE film_id = p_film_id
    AND store_id = p_store_id
    AND inventory_in_stock(inventory_id);

  SELECT COUNT(*)
  FROM inventory
  WHERE film_id = p_film_id
    AND store_id = p_store_id
    AND inventory_in_stock(inventory_id)
  INTO p_film_count;
END
-- statement
CREATE PROCEDURE film_not_in_stock(IN p_film_id INT UNSIGNED, IN p_store_id INT, OUT p_film_count INT)
    READS SQL DATA
BEGIN
  SELECT inventory_id
  FROM inventory
  WHERE film_id = p_film_id
    AND store_id = p_store_id
    AND NOT inventory_in_stock(inventory_id);

  SELECT COUNT(*)
  FROM inventory
  WHERE film_id = p_film_id
    AND store_id = p_store_id
    AND NOT inventory_in_stock(inventory_id)
  INTO p_film_count;
END
-- statement
CREATE PROCEDURE rewards_report(
    IN min_monthly_purchases TINYINT UNSIGNED,
    IN min_dollar_amount_purchased DECIMAL(10,2),
    OUT count_rewardees INT)
    LANGUAGE SQL
    NOT DETERMINISTIC
    READS SQL DATA
    SQL SECURITY DEFINER
    COMMENT 'Provides a customizable report on best customers'
proc: BEGIN
  DECLARE last_month_start DATE;
  DECLARE last_month_end DATE;

  IF min_monthly_purchases = 0 THEN
    SELECT 'Minimum monthly purchases parameter must be > 0';
    LEAVE proc;
  END IF;
  IF min_dollar_amount_purchased = 0.00 THEN
    SELECT 'Minimum monthly dollar amount purchased parameter must be > $0.00';
    LEAVE proc;
  END IF;

  -- The month before the simulated present (the latest payment), not before the machine clock.
  SET last_month_start = DATE_SUB(DATE(IFNULL((SELECT MAX(payment_date) FROM payment), CURRENT_DATE())), INTERVAL 1 MONTH);
  SET last_month_start = STR_TO_DATE(CONCAT(YEAR(last_month_start), '-', MONTH(last_month_start), '-01'), '%Y-%m-%d');
  SET last_month_end = LAST_DAY(last_month_start);

  DROP TEMPORARY TABLE IF EXISTS tmpCustomer;
  CREATE TEMPORARY TABLE tmpCustomer (customer_id INT UNSIGNED NOT NULL PRIMARY KEY);

  INSERT INTO tmpCustomer (customer_id)
  SELECT p.customer_id
  FROM payment AS p
  WHERE DATE(p.payment_date) BETWEEN last_month_start AND last_month_end
  GROUP BY p.customer_id
  HAVING SUM(p.amount) > min_dollar_amount_purchased
     AND COUNT(p.customer_id) > min_monthly_purchases;

  SELECT COUNT(*) FROM tmpCustomer INTO count_rewardees;

  SELECT c.*
  FROM tmpCustomer AS t
  INNER JOIN customer AS c ON t.customer_id = c.customer_id;

  DROP TEMPORARY TABLE tmpCustomer;
END
-- statement
CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW
BEGIN
  INSERT INTO film_text (film_id, title, description)
  VALUES (NEW.film_id, NEW.title, NEW.description);
END
-- statement
CREATE TRIGGER upd_film AFTER UPDATE ON film FOR EACH ROW
BEGIN
  IF (OLD.title != NEW.title) OR (OLD.description != NEW.description) OR (OLD.film_id != NEW.film_id) THEN
    UPDATE film_text
    SET title = NEW.title,
        description = NEW.description,
        film_id = NEW.film_id
    WHERE film_id = OLD.film_id;
  END IF;
END
-- statement
CREATE TRIGGER del_film AFTER DELETE ON film FOR EACH ROW
BEGIN
  DELETE FROM film_text WHERE film_id = OLD.film_id;
END
