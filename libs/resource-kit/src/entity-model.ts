import { Column, DataType, Model } from "sequelize-typescript";

/** The columns every entity table has (entityColumns() in the migrations): id, revision, timestamps. */
export abstract class EntityModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column({ type: DataType.INTEGER, allowNull: false }) declare revision: number;
  @Column({ type: DataType.DATE(3), allowNull: false }) declare created_at: Date;
  @Column({ type: DataType.DATE(3), allowNull: false }) declare updated_at: Date;
}
