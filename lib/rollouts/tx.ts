export { txRows, type Tx } from "@/db/tx";
