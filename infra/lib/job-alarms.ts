// The alarms every background job has (the SMS, refund and export jobs): one on a JSON log line the
// job writes when it gives something up (a metric filter counts the lines), one on the function
// failing. Both fire on the first occurrence in 5 minutes, treat no data as fine, and notify the
// alarm topic. Created in the caller's construct with the ids it gives, so each job keeps its own
// logical ids.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { MetricFilter, type IFilterPattern, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

function firstOccurrence(scope: Construct, id: string, description: string, metric: IMetric, topic: ITopic | undefined): Alarm {
  const alarm = new Alarm(scope, id, {
    alarmDescription: description,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (topic) alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}

/** An alarm on the first log line matching `filterPattern` (counted by a metric filter `filterId`). */
export function logLineAlarm(
  scope: Construct,
  ids: { filter: string; alarm: string },
  props: {
    logGroup: ILogGroup;
    filterPattern: IFilterPattern;
    metric: { namespace: string; name: string };
    description: string;
    topic?: ITopic | undefined;
  },
): Alarm {
  const filter = new MetricFilter(scope, ids.filter, {
    logGroup: props.logGroup,
    filterPattern: props.filterPattern,
    metricNamespace: props.metric.namespace,
    metricName: props.metric.name,
    metricValue: '1',
    defaultValue: 0,
  });
  return firstOccurrence(scope, ids.alarm, props.description, filter.metric({ statistic: 'Sum', period: PERIOD }), props.topic);
}

/** An alarm on the function failing at least once (Lambda Errors), as `JobErrorsAlarm`. */
export function jobErrorsAlarm(scope: Construct, fn: IFunction, description: string, topic?: ITopic): Alarm {
  return firstOccurrence(scope, 'JobErrorsAlarm', description, fn.metricErrors({ period: PERIOD }), topic);
}
