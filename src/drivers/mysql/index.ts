/** The MySQL/MariaDB driver (mysql2) and its error classifier. */
export { mysqlDriver, type MysqlOptions } from './mysql-driver.js'
export { classifyMysql } from './mysql-classify.js'
