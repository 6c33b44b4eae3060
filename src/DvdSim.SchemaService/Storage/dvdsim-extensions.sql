-- DvdSim's own tables, additive to Sakila. Other services write most of them; names and columns
-- are a contract between services.
-- This file runs FIRST, with FOREIGN_KEY_CHECKS = 0 (the tables it refers to follow): dvdsim_run
-- then exists from the first statement on, so a database holding dvdsim_run without its row is
-- recognisably a DvdSim preparation that stopped half-way, and is rebuilt on redelivery.
-- statement
CREATE TABLE dvdsim_run (
  run_key TINYINT UNSIGNED NOT NULL DEFAULT 1,
  scenario_name VARCHAR(64) NOT NULL,
  scenario_json MEDIUMTEXT NOT NULL,
  seed BIGINT NOT NULL,
  opening_date DATE NOT NULL,
  weeks_target INT NOT NULL,
  late_fee_per_day DECIMAL(6,2) NOT NULL,
  dvdsim_version VARCHAR(32) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (run_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE dvdsim_week (
  week INT NOT NULL,
  week_start DATE NOT NULL,
  state VARCHAR(16) NOT NULL,
  rentals INT NULL,
  returns INT NULL,
  lost INT NULL,
  payments INT NULL,
  new_customers INT NULL,
  active_customers INT NULL,
  checked_out INT NULL,
  inventory_ms DOUBLE NULL,
  transactions_ms DOUBLE NULL,
  payments_ms DOUBLE NULL,
  wait_ms DOUBLE NULL,
  wall_ms DOUBLE NULL,
  trace_id CHAR(32) NULL,
  revenue DECIMAL(14,2) NULL,
  late_fees INT NULL,
  receivables_change DECIMAL(14,2) NULL,
  started_at DATETIME(3) NULL,
  completed_at DATETIME(3) NULL,
  PRIMARY KEY (week),
  KEY idx_state (state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE dvdsim_stage (
  week INT NOT NULL,
  stage VARCHAR(24) NOT NULL,
  batch INT NOT NULL DEFAULT 0,
  PRIMARY KEY (week, stage, batch),
  KEY idx_stage_week (stage, week)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE customer_profile (
  customer_id INT UNSIGNED NOT NULL,
  segment VARCHAR(24) NOT NULL,
  loyal TINYINT(1) NOT NULL,
  activity DOUBLE NOT NULL,
  churned_on DATE NULL,
  reactivated_on DATETIME NULL,
  PRIMARY KEY (customer_id),
  KEY idx_segment (segment),
  CONSTRAINT fk_customer_profile_customer FOREIGN KEY (customer_id) REFERENCES customer (customer_id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE film_release (
  film_id INT UNSIGNED NOT NULL,
  week INT NOT NULL,
  released_on DATE NOT NULL,
  hot_category_id TINYINT UNSIGNED NULL,
  boosted TINYINT(1) NOT NULL,
  PRIMARY KEY (film_id),
  KEY idx_week (week),
  KEY idx_fk_hot_category_id (hot_category_id),
  CONSTRAINT fk_film_release_film FOREIGN KEY (film_id) REFERENCES film (film_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_film_release_category FOREIGN KEY (hot_category_id) REFERENCES category (category_id) ON DELETE RESTRICT ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE inventory_purchase (
  inventory_id INT UNSIGNED NOT NULL,
  week INT NOT NULL,
  purchased_on DATE NOT NULL,
  reason VARCHAR(64) NOT NULL,
  unit_cost DECIMAL(5,2) NOT NULL,
  PRIMARY KEY (inventory_id),
  KEY idx_week (week),
  CONSTRAINT fk_inventory_purchase_inventory FOREIGN KEY (inventory_id) REFERENCES inventory (inventory_id) ON DELETE CASCADE ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE rental_loss (
  rental_id INT UNSIGNED NOT NULL,
  inventory_id INT UNSIGNED NOT NULL,
  declared_on DATETIME NOT NULL,
  replacement_cost DECIMAL(5,2) NOT NULL,
  PRIMARY KEY (rental_id),
  KEY idx_fk_inventory_id (inventory_id),
  KEY idx_declared_on (declared_on),
  CONSTRAINT fk_rental_loss_rental FOREIGN KEY (rental_id) REFERENCES rental (rental_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_rental_loss_inventory FOREIGN KEY (inventory_id) REFERENCES inventory (inventory_id) ON DELETE RESTRICT ON UPDATE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
-- statement
CREATE TABLE seasonality_log (
  week INT NOT NULL,
  week_start DATE NOT NULL,
  month TINYINT NOT NULL,
  seasonal DOUBLE NOT NULL,
  growth DOUBLE NOT NULL,
  shock DOUBLE NOT NULL,
  phase VARCHAR(16) NOT NULL,
  planned_rentals INT NOT NULL,
  PRIMARY KEY (week)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
