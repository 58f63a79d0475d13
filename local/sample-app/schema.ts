/** The sample app's one table; the rehearsal creates it on both databases and publishes it. */
export const ORDERS_SCHEMA = `CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  item text NOT NULL,
  quantity int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
