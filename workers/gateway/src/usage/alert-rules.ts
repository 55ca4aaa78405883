/** Admin alert-rule functions for /admin/v1/alerts; the evaluator's cron evaluates the rules. */
export {
  AlertRuleInputSchema,
  AlertRuleSchema,
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  type AlertRule,
  type AlertRuleInput,
} from "../../../evaluator/src/alerts/rules";
