/** Admin alert-rule functions for /admin/v1/alerts; the evaluator's cron evaluates the rules. */
export {
  AlertRuleInputSchema,
  AlertRuleSchema,
  alertRuleDelete,
  alertRuleExists,
  alertRuleInsert,
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  type AlertRule,
  type AlertRuleInput,
} from "../../../../shared/alerts/alert-rules";
