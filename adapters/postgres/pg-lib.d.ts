declare module 'pg/lib/client' {
  import { Client } from 'pg';
  export default Client;
}

declare module 'pg/lib/utils' {
  export function escapeIdentifier(value: string): string;
}
