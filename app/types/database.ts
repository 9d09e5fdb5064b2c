
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "activity_definitions": {
                  Row: {
                    "activity_code": string,"activity_name": string,"activity_order": number,"created_at": string,"description": string | null,"id": number,"is_required": boolean,"phase_name": string,"proof": Database["public"]['Enums']["activity_proof"] | null,"proof_item_table": unknown,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "activity_code": string,"activity_name": string,"activity_order": number,"created_at"?: string,"description"?: string | null,"id"?: never,"is_required"?: boolean,"phase_name": string,"proof"?: Database["public"]['Enums']["activity_proof"] | null,"proof_item_table"?: unknown,"updated_at"?: string
                  }
                  Update: {
                    "activity_code"?: string,"activity_name"?: string,"activity_order"?: number,"created_at"?: string,"description"?: string | null,"id"?: never,"is_required"?: boolean,"phase_name"?: string,"proof"?: Database["public"]['Enums']["activity_proof"] | null,"proof_item_table"?: unknown,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "activity_definitions_phase_name_fkey"
      columns: ["phase_name"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    }
                  ]
                },"approved_artifacts": {
                  Row: {
                    "approved_at": string,"approved_by": string | null,"approved_count": number,"created_at": string,"cycle_report_id": number,"id": number,"is_current": boolean,"item_count": number,"item_tables": (string)[],"phase_id": number,"phase_name": string,"rejected_count": number,"summary": NonNullable<Json>,"superseded_at": string | null,"version_id": string,"version_number": number
                  }
                  ComputedFields: never
                  Insert: {
                    "approved_at": string,"approved_by"?: string | null,"approved_count": number,"created_at"?: string,"cycle_report_id": number,"id"?: never,"is_current"?: boolean,"item_count": number,"item_tables"?: (string)[],"phase_id": number,"phase_name": string,"rejected_count": number,"summary"?: NonNullable<Json>,"superseded_at"?: string | null,"version_id": string,"version_number": number
                  }
                  Update: {
                    "approved_at"?: string,"approved_by"?: string | null,"approved_count"?: number,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"is_current"?: boolean,"item_count"?: number,"item_tables"?: (string)[],"phase_id"?: number,"phase_name"?: string,"rejected_count"?: number,"summary"?: NonNullable<Json>,"superseded_at"?: string | null,"version_id"?: string,"version_number"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "approved_artifacts_approved_by_fkey"
      columns: ["approved_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "approved_artifacts_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "approved_artifacts_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "approved_artifacts_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "approved_artifacts_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "approved_artifacts_phase_name_fkey"
      columns: ["phase_name"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    },{
      foreignKeyName: "approved_artifacts_version_id_fkey"
      columns: ["version_id"]
isOneToOne: true
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"artifact_versions": {
                  Row: {
                    "approved_at": string | null,"approved_by": string | null,"approved_count": number,"based_on_version_id": string | null,"created_at": string,"created_by": string | null,"cycle_report_id": number,"generation_summary": NonNullable<Json>,"id": string,"item_count": number,"owner_decided_count": number,"parent_version_id": string | null,"pending_count": number | null,"phase_id": number,"phase_name": string,"rejected_at": string | null,"rejected_by": string | null,"rejected_count": number,"rejection_reason": string | null,"submitted_at": string | null,"submitted_by": string | null,"summary": NonNullable<Json>,"superseded_at": string | null,"superseded_by_version_id": string | null,"tester_decided_count": number,"updated_at": string,"version_number": number,"version_status": Database["public"]['Enums']["version_status"]
                  }
                  ComputedFields: never
                  Insert: {
                    "approved_at"?: string | null,"approved_by"?: string | null,"approved_count"?: number,"based_on_version_id"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id": number,"generation_summary"?: NonNullable<Json>,"id"?: string,"item_count"?: number,"owner_decided_count"?: number,"parent_version_id"?: string | null,"pending_count"?: never,"phase_id": number,"phase_name": string,"rejected_at"?: string | null,"rejected_by"?: string | null,"rejected_count"?: number,"rejection_reason"?: string | null,"submitted_at"?: string | null,"submitted_by"?: string | null,"summary"?: NonNullable<Json>,"superseded_at"?: string | null,"superseded_by_version_id"?: string | null,"tester_decided_count"?: number,"updated_at"?: string,"version_number": number,"version_status"?: Database["public"]['Enums']["version_status"]
                  }
                  Update: {
                    "approved_at"?: string | null,"approved_by"?: string | null,"approved_count"?: number,"based_on_version_id"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id"?: number,"generation_summary"?: NonNullable<Json>,"id"?: string,"item_count"?: number,"owner_decided_count"?: number,"parent_version_id"?: string | null,"pending_count"?: never,"phase_id"?: number,"phase_name"?: string,"rejected_at"?: string | null,"rejected_by"?: string | null,"rejected_count"?: number,"rejection_reason"?: string | null,"submitted_at"?: string | null,"submitted_by"?: string | null,"summary"?: NonNullable<Json>,"superseded_at"?: string | null,"superseded_by_version_id"?: string | null,"tester_decided_count"?: number,"updated_at"?: string,"version_number"?: number,"version_status"?: Database["public"]['Enums']["version_status"]
                  }
                  Relationships: [
                    {
      foreignKeyName: "artifact_versions_approved_by_fkey"
      columns: ["approved_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_based_on_version_id_fkey"
      columns: ["based_on_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "artifact_versions_parent_version_id_fkey"
      columns: ["parent_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_phase_name_fkey"
      columns: ["phase_name"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    },{
      foreignKeyName: "artifact_versions_rejected_by_fkey"
      columns: ["rejected_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_submitted_by_fkey"
      columns: ["submitted_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_superseded_by_version_id_fkey"
      columns: ["superseded_by_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"audit_log": {
                  Row: {
                    "actor_id": string | null,"actor_role": string,"chain_seq": number | null,"id": number,"new_values": Json | null,"occurred_at": string,"old_values": Json | null,"operation": string,"prev_hash": string | null,"row_hash": string | null,"row_id": string | null,"table_name": string,"transaction_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "actor_id"?: string | null,"actor_role": string,"chain_seq"?: number | null,"id"?: never,"new_values"?: Json | null,"occurred_at"?: string,"old_values"?: Json | null,"operation": string,"prev_hash"?: string | null,"row_hash"?: string | null,"row_id"?: string | null,"table_name": string,"transaction_id"?: number
                  }
                  Update: {
                    "actor_id"?: string | null,"actor_role"?: string,"chain_seq"?: number | null,"id"?: never,"new_values"?: Json | null,"occurred_at"?: string,"old_values"?: Json | null,"operation"?: string,"prev_hash"?: string | null,"row_hash"?: string | null,"row_id"?: string | null,"table_name"?: string,"transaction_id"?: number
                  }
                  Relationships: [
                    
                  ]
                },"background_jobs": {
                  Row: {
                    "attempts": number,"backoff_base_seconds": number,"completed_at": string | null,"created_at": string,"created_by": string | null,"cycle_report_id": number | null,"error": string | null,"heartbeat_at": string | null,"id": string,"job_type": string,"lease_expires_at": string | null,"lease_owner": string | null,"max_attempts": number,"metadata": NonNullable<Json>,"priority": number,"progress": number,"progress_message": string | null,"result": Json | null,"run_after": string,"started_at": string | null,"status": Database["public"]['Enums']["job_status"],"updated_at": string,"version_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"backoff_base_seconds"?: number,"completed_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id"?: number | null,"error"?: string | null,"heartbeat_at"?: string | null,"id"?: string,"job_type": string,"lease_expires_at"?: string | null,"lease_owner"?: string | null,"max_attempts"?: number,"metadata"?: NonNullable<Json>,"priority"?: number,"progress"?: number,"progress_message"?: string | null,"result"?: Json | null,"run_after"?: string,"started_at"?: string | null,"status"?: Database["public"]['Enums']["job_status"],"updated_at"?: string,"version_id"?: string | null
                  }
                  Update: {
                    "attempts"?: number,"backoff_base_seconds"?: number,"completed_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id"?: number | null,"error"?: string | null,"heartbeat_at"?: string | null,"id"?: string,"job_type"?: string,"lease_expires_at"?: string | null,"lease_owner"?: string | null,"max_attempts"?: number,"metadata"?: NonNullable<Json>,"priority"?: number,"progress"?: number,"progress_message"?: string | null,"result"?: Json | null,"run_after"?: string,"started_at"?: string | null,"status"?: Database["public"]['Enums']["job_status"],"updated_at"?: string,"version_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "background_jobs_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "background_jobs_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "background_jobs_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "background_jobs_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "background_jobs_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"cycle_report_testers": {
                  Row: {
                    "assigned_at": string,"assigned_by": string | null,"cycle_report_id": number,"tester_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assigned_at"?: string,"assigned_by"?: string | null,"cycle_report_id": number,"tester_id": string
                  }
                  Update: {
                    "assigned_at"?: string,"assigned_by"?: string | null,"cycle_report_id"?: number,"tester_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "cycle_report_testers_assigned_by_fkey"
      columns: ["assigned_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "cycle_report_testers_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "cycle_report_testers_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "cycle_report_testers_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "cycle_report_testers_tester_id_fkey"
      columns: ["tester_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"cycle_reports": {
                  Row: {
                    "created_at": string,"cycle_id": number,"id": number,"report_id": number,"status": Database["public"]['Enums']["cycle_report_status"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"cycle_id": number,"id"?: never,"report_id": number,"status"?: Database["public"]['Enums']["cycle_report_status"],"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"cycle_id"?: number,"id"?: never,"report_id"?: number,"status"?: Database["public"]['Enums']["cycle_report_status"],"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "cycle_reports_cycle_id_fkey"
      columns: ["cycle_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["test_cycle_id"]
    },{
      foreignKeyName: "cycle_reports_cycle_id_fkey"
      columns: ["cycle_id"]
isOneToOne: false
      referencedRelation: "test_cycles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "cycle_reports_report_id_fkey"
      columns: ["report_id"]
isOneToOne: false
      referencedRelation: "reports"
      referencedColumns: ["id"]
    }
                  ]
                },"duty_segregation_overrides": {
                  Row: {
                    "actor_id": string,"cycle_report_id": number,"id": number,"item_id": string | null,"item_table": string | null,"occurred_at": string,"rule": string,"version_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "actor_id": string,"cycle_report_id": number,"id"?: never,"item_id"?: string | null,"item_table"?: string | null,"occurred_at"?: string,"rule": string,"version_id"?: string | null
                  }
                  Update: {
                    "actor_id"?: string,"cycle_report_id"?: number,"id"?: never,"item_id"?: string | null,"item_table"?: string | null,"occurred_at"?: string,"rule"?: string,"version_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "duty_segregation_overrides_actor_id_fkey"
      columns: ["actor_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "duty_segregation_overrides_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "duty_segregation_overrides_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "duty_segregation_overrides_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "duty_segregation_overrides_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"llm_interactions": {
                  Row: {
                    "attempt": number,"completed_at": string | null,"cost_usd": number | null,"created_at": string,"cycle_report_id": number | null,"duration_ms": number | null,"error": string | null,"failure_reason": string | null,"http_status": number | null,"id": string,"idempotency_key": string | null,"input_tokens": number | null,"job_id": string | null,"model": string,"output_tokens": number | null,"phase_id": number | null,"provider": string,"purpose": string,"request": NonNullable<Json>,"response": Json | null,"status": Database["public"]['Enums']["llm_status"],"user_id": string | null,"version_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempt"?: number,"completed_at"?: string | null,"cost_usd"?: number | null,"created_at"?: string,"cycle_report_id"?: number | null,"duration_ms"?: number | null,"error"?: string | null,"failure_reason"?: string | null,"http_status"?: number | null,"id"?: string,"idempotency_key"?: string | null,"input_tokens"?: number | null,"job_id"?: string | null,"model": string,"output_tokens"?: number | null,"phase_id"?: number | null,"provider": string,"purpose": string,"request"?: NonNullable<Json>,"response"?: Json | null,"status"?: Database["public"]['Enums']["llm_status"],"user_id"?: string | null,"version_id"?: string | null
                  }
                  Update: {
                    "attempt"?: number,"completed_at"?: string | null,"cost_usd"?: number | null,"created_at"?: string,"cycle_report_id"?: number | null,"duration_ms"?: number | null,"error"?: string | null,"failure_reason"?: string | null,"http_status"?: number | null,"id"?: string,"idempotency_key"?: string | null,"input_tokens"?: number | null,"job_id"?: string | null,"model"?: string,"output_tokens"?: number | null,"phase_id"?: number | null,"provider"?: string,"purpose"?: string,"request"?: NonNullable<Json>,"response"?: Json | null,"status"?: Database["public"]['Enums']["llm_status"],"user_id"?: string | null,"version_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "llm_interactions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "llm_interactions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "llm_interactions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "llm_interactions_job_id_fkey"
      columns: ["job_id"]
isOneToOne: false
      referencedRelation: "background_jobs"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "llm_interactions_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "llm_interactions_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "llm_interactions_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"observation_evidence": {
                  Row: {
                    "id": number,"kind": string,"linked_at": string,"linked_by": string | null,"observation_id": string,"rule_result_id": number | null,"test_case_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "id"?: never,"kind": string,"linked_at"?: string,"linked_by"?: string | null,"observation_id": string,"rule_result_id"?: number | null,"test_case_id"?: string | null
                  }
                  Update: {
                    "id"?: never,"kind"?: string,"linked_at"?: string,"linked_by"?: string | null,"observation_id"?: string,"rule_result_id"?: number | null,"test_case_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "observation_evidence_linked_by_fkey"
      columns: ["linked_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observation_evidence_observation_id_fkey"
      columns: ["observation_id"]
isOneToOne: false
      referencedRelation: "observations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observation_evidence_rule_result_id_fkey"
      columns: ["rule_result_id"]
isOneToOne: false
      referencedRelation: "profiling_rule_results"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observation_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_case_traceability"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "observation_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_cases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observation_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_exceptions"
      referencedColumns: ["test_case_id"]
    }
                  ]
                },"observation_history": {
                  Row: {
                    "actor": string,"comment": string,"from_status": string | null,"id": number,"moved_at": string,"moved_by": string | null,"observation_id": string,"to_status": string
                  }
                  ComputedFields: never
                  Insert: {
                    "actor": string,"comment": string,"from_status"?: string | null,"id"?: never,"moved_at"?: string,"moved_by"?: string | null,"observation_id": string,"to_status": string
                  }
                  Update: {
                    "actor"?: string,"comment"?: string,"from_status"?: string | null,"id"?: never,"moved_at"?: string,"moved_by"?: string | null,"observation_id"?: string,"to_status"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "observation_history_moved_by_fkey"
      columns: ["moved_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observation_history_observation_id_fkey"
      columns: ["observation_id"]
isOneToOne: false
      referencedRelation: "observations"
      referencedColumns: ["id"]
    }
                  ]
                },"observation_transitions": {
                  Row: {
                    "actor": string,"from_status": string,"label": string,"requires": string | null,"to_status": string
                  }
                  ComputedFields: never
                  Insert: {
                    "actor": string,"from_status": string,"label": string,"requires"?: string | null,"to_status": string
                  }
                  Update: {
                    "actor"?: string,"from_status"?: string,"label"?: string,"requires"?: string | null,"to_status"?: string
                  }
                  Relationships: [
                    
                  ]
                },"observations": {
                  Row: {
                    "category": string,"cause": string | null,"condition": string | null,"consequence": string | null,"created_at": string,"criteria": string | null,"cycle_report_id": number,"due_date": string | null,"id": string,"impacted_attribute_ids": (string)[],"impacted_report_lines": (string)[],"owner_response": string | null,"proposed_from": string | null,"raised_by": string | null,"remediation_owner_id": string | null,"remediation_plan": string | null,"root_cause": string | null,"severity": string,"status": string,"title": string,"updated_at": string,"validation_evidence": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "category"?: string,"cause"?: string | null,"condition"?: string | null,"consequence"?: string | null,"created_at"?: string,"criteria"?: string | null,"cycle_report_id": number,"due_date"?: string | null,"id"?: string,"impacted_attribute_ids"?: (string)[],"impacted_report_lines"?: (string)[],"owner_response"?: string | null,"proposed_from"?: string | null,"raised_by"?: string | null,"remediation_owner_id"?: string | null,"remediation_plan"?: string | null,"root_cause"?: string | null,"severity"?: string,"status"?: string,"title": string,"updated_at"?: string,"validation_evidence"?: string | null
                  }
                  Update: {
                    "category"?: string,"cause"?: string | null,"condition"?: string | null,"consequence"?: string | null,"created_at"?: string,"criteria"?: string | null,"cycle_report_id"?: number,"due_date"?: string | null,"id"?: string,"impacted_attribute_ids"?: (string)[],"impacted_report_lines"?: (string)[],"owner_response"?: string | null,"proposed_from"?: string | null,"raised_by"?: string | null,"remediation_owner_id"?: string | null,"remediation_plan"?: string | null,"root_cause"?: string | null,"severity"?: string,"status"?: string,"title"?: string,"updated_at"?: string,"validation_evidence"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "observations_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "observations_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observations_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "observations_raised_by_fkey"
      columns: ["raised_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "observations_remediation_owner_id_fkey"
      columns: ["remediation_owner_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"phase_definitions": {
                  Row: {
                    "basis_phase": string | null,"carry_forward_approved": boolean,"created_at": string,"depends_on": (string)[],"description": string | null,"display_name": string,"has_artifact": boolean,"item_reviewer": string,"item_tables": (unknown)[],"job_types": (string)[],"name": string,"owner_item_review": boolean,"phase_order": number,"request_item_kind": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "basis_phase"?: string | null,"carry_forward_approved"?: boolean,"created_at"?: string,"depends_on"?: (string)[],"description"?: string | null,"display_name": string,"has_artifact"?: boolean,"item_reviewer"?: string,"item_tables"?: (unknown)[],"job_types"?: (string)[],"name": string,"owner_item_review"?: boolean,"phase_order": number,"request_item_kind"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "basis_phase"?: string | null,"carry_forward_approved"?: boolean,"created_at"?: string,"depends_on"?: (string)[],"description"?: string | null,"display_name"?: string,"has_artifact"?: boolean,"item_reviewer"?: string,"item_tables"?: (unknown)[],"job_types"?: (string)[],"name"?: string,"owner_item_review"?: boolean,"phase_order"?: number,"request_item_kind"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "phase_definitions_basis_phase_fkey"
      columns: ["basis_phase"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    }
                  ]
                },"planning_attributes": {
                  Row: {
                    "business_definition": string | null,"created_at": string,"data_source_id": string | null,"data_type": string,"description": string | null,"id": string,"information_security_classification": string,"is_cde": boolean,"is_mandatory": boolean,"is_primary_key": boolean,"item_status": Database["public"]['Enums']["item_status"],"llm_metadata": Json | null,"max_length": number | null,"name": string,"parent_item_id": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"source_column": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"transformation_rule": string | null,"updated_at": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "business_definition"?: string | null,"created_at"?: string,"data_source_id"?: string | null,"data_type": string,"description"?: string | null,"id"?: string,"information_security_classification"?: string,"is_cde"?: boolean,"is_mandatory"?: boolean,"is_primary_key"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"max_length"?: number | null,"name": string,"parent_item_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"source_column"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"transformation_rule"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "business_definition"?: string | null,"created_at"?: string,"data_source_id"?: string | null,"data_type"?: string,"description"?: string | null,"id"?: string,"information_security_classification"?: string,"is_cde"?: boolean,"is_mandatory"?: boolean,"is_primary_key"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"max_length"?: number | null,"name"?: string,"parent_item_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"source_column"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"transformation_rule"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "planning_attributes_data_source_id_fkey"
      columns: ["data_source_id"]
isOneToOne: false
      referencedRelation: "planning_data_sources"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_attributes_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_attributes_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_attributes_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_attributes_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"planning_auto_approval_rules": {
                  Row: {
                    "approve_primary_keys": boolean,"approve_public_classification": boolean,"created_at": string,"description": string | null,"id": number,"is_enabled": boolean,"max_risk_score": number | null,"min_llm_confidence": number,"name": string,"priority": number,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "approve_primary_keys"?: boolean,"approve_public_classification"?: boolean,"created_at"?: string,"description"?: string | null,"id"?: never,"is_enabled"?: boolean,"max_risk_score"?: number | null,"min_llm_confidence"?: number,"name": string,"priority"?: number,"updated_at"?: string
                  }
                  Update: {
                    "approve_primary_keys"?: boolean,"approve_public_classification"?: boolean,"created_at"?: string,"description"?: string | null,"id"?: never,"is_enabled"?: boolean,"max_risk_score"?: number | null,"min_llm_confidence"?: number,"name"?: string,"priority"?: number,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"planning_data_sources": {
                  Row: {
                    "checked_at": string | null,"created_at": string,"created_by": string | null,"database_name": string | null,"description": string | null,"error": string | null,"host": string | null,"id": string,"item_status": Database["public"]['Enums']["item_status"],"name": string,"parent_item_id": string | null,"port": number | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"row_count": number | null,"schema": Json | null,"schema_name": string | null,"source_type": string,"status": string,"table_name": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"updated_at": string,"username": string | null,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "checked_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"database_name"?: string | null,"description"?: string | null,"error"?: string | null,"host"?: string | null,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"name": string,"parent_item_id"?: string | null,"port"?: number | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"row_count"?: number | null,"schema"?: Json | null,"schema_name"?: string | null,"source_type": string,"status"?: string,"table_name"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"username"?: string | null,"version_id": string
                  }
                  Update: {
                    "checked_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"database_name"?: string | null,"description"?: string | null,"error"?: string | null,"host"?: string | null,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"name"?: string,"parent_item_id"?: string | null,"port"?: number | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"row_count"?: number | null,"schema"?: Json | null,"schema_name"?: string | null,"source_type"?: string,"status"?: string,"table_name"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"username"?: string | null,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "planning_data_sources_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_data_sources_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "planning_data_sources"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_data_sources_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_data_sources_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_data_sources_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"planning_pde_mappings": {
                  Row: {
                    "attribute_id": string,"auto_approval_rule_id": number | null,"auto_approved": boolean,"classification": NonNullable<Json>,"column_data_type": string | null,"condition": string | null,"created_at": string,"id": string,"is_primary": boolean,"item_status": Database["public"]['Enums']["item_status"],"llm_metadata": Json | null,"mapping_type": string,"parent_item_id": string | null,"pde_code": string,"pde_name": string,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"risk_score": number,"source_column": string | null,"source_field": string | null,"source_table": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"transformation_rule": string | null,"updated_at": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attribute_id": string,"auto_approval_rule_id"?: number | null,"auto_approved"?: boolean,"classification"?: NonNullable<Json>,"column_data_type"?: string | null,"condition"?: string | null,"created_at"?: string,"id"?: string,"is_primary"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"mapping_type"?: string,"parent_item_id"?: string | null,"pde_code": string,"pde_name": string,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"risk_score"?: number,"source_column"?: string | null,"source_field"?: string | null,"source_table"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"transformation_rule"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "attribute_id"?: string,"auto_approval_rule_id"?: number | null,"auto_approved"?: boolean,"classification"?: NonNullable<Json>,"column_data_type"?: string | null,"condition"?: string | null,"created_at"?: string,"id"?: string,"is_primary"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"mapping_type"?: string,"parent_item_id"?: string | null,"pde_code"?: string,"pde_name"?: string,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"risk_score"?: number,"source_column"?: string | null,"source_field"?: string | null,"source_table"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"transformation_rule"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "planning_pde_mappings_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_pde_mappings_auto_approval_rule_id_fkey"
      columns: ["auto_approval_rule_id"]
isOneToOne: false
      referencedRelation: "planning_auto_approval_rules"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_pde_mappings_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "planning_pde_mappings"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_pde_mappings_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_pde_mappings_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "planning_pde_mappings_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"planning_version_summaries": {
                  Row: {
                    "approved_attributes": number,"approved_mappings": number,"auto_approved_mappings": number,"cde_attributes": number,"data_sources": number,"mandatory_attributes": number,"pk_attributes": number,"total_attributes": number,"total_mappings": number,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "approved_attributes"?: number,"approved_mappings"?: number,"auto_approved_mappings"?: number,"cde_attributes"?: number,"data_sources"?: number,"mandatory_attributes"?: number,"pk_attributes"?: number,"total_attributes"?: number,"total_mappings"?: number,"version_id": string
                  }
                  Update: {
                    "approved_attributes"?: number,"approved_mappings"?: number,"auto_approved_mappings"?: number,"cde_attributes"?: number,"data_sources"?: number,"mandatory_attributes"?: number,"pk_attributes"?: number,"total_attributes"?: number,"total_mappings"?: number,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "planning_version_summaries_version_id_fkey"
      columns: ["version_id"]
isOneToOne: true
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"profiles": {
                  Row: {
                    "app_role": Database["public"]['Enums']["app_role"],"created_at": string,"email": string,"full_name": string | null,"id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "app_role"?: Database["public"]['Enums']["app_role"],"created_at"?: string,"email": string,"full_name"?: string | null,"id": string,"updated_at"?: string
                  }
                  Update: {
                    "app_role"?: Database["public"]['Enums']["app_role"],"created_at"?: string,"email"?: string,"full_name"?: string | null,"id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"profiling_rule_results": {
                  Row: {
                    "anomaly_marked_at": string | null,"anomaly_marked_by": string | null,"anomaly_note": string | null,"cycle_report_id": number,"duration_ms": number,"error": string | null,"executed_at": string,"execution_id": string,"failed_count": number | null,"failed_rows_query": string | null,"failed_sample": NonNullable<Json>,"id": number,"is_anomaly": boolean,"pass_rate": number | null,"passed_count": number | null,"request_data_source_id": string | null,"rule_id": string,"status": string,"total_count": number | null,"version_id": string,"masked_failed_sample": Json | null
                  }
                  ComputedFields: "masked_failed_sample"
                  Insert: {
                    "anomaly_marked_at"?: string | null,"anomaly_marked_by"?: string | null,"anomaly_note"?: string | null,"cycle_report_id": number,"duration_ms"?: number,"error"?: string | null,"executed_at"?: string,"execution_id": string,"failed_count"?: number | null,"failed_rows_query"?: string | null,"failed_sample"?: NonNullable<Json>,"id"?: never,"is_anomaly"?: boolean,"pass_rate"?: number | null,"passed_count"?: number | null,"request_data_source_id"?: string | null,"rule_id": string,"status": string,"total_count"?: number | null,"version_id": string
                  }
                  Update: {
                    "anomaly_marked_at"?: string | null,"anomaly_marked_by"?: string | null,"anomaly_note"?: string | null,"cycle_report_id"?: number,"duration_ms"?: number,"error"?: string | null,"executed_at"?: string,"execution_id"?: string,"failed_count"?: number | null,"failed_rows_query"?: string | null,"failed_sample"?: NonNullable<Json>,"id"?: never,"is_anomaly"?: boolean,"pass_rate"?: number | null,"passed_count"?: number | null,"request_data_source_id"?: string | null,"rule_id"?: string,"status"?: string,"total_count"?: number | null,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "profiling_rule_results_anomaly_marked_by_fkey"
      columns: ["anomaly_marked_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rule_results_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "profiling_rule_results_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rule_results_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "profiling_rule_results_execution_id_fkey"
      columns: ["execution_id"]
isOneToOne: false
      referencedRelation: "background_jobs"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rule_results_request_data_source_id_fkey"
      columns: ["request_data_source_id"]
isOneToOne: false
      referencedRelation: "request_data_sources"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rule_results_rule_id_fkey"
      columns: ["rule_id"]
isOneToOne: false
      referencedRelation: "profiling_rules"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rule_results_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"profiling_rules": {
                  Row: {
                    "attribute_id": string,"created_at": string,"definition": NonNullable<Json>,"description": string | null,"execution_order": number,"id": string,"is_executable": boolean,"item_status": Database["public"]['Enums']["item_status"],"llm_metadata": Json | null,"name": string,"parameters": NonNullable<Json>,"parent_item_id": string | null,"regulatory_reference": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"rule_type": string,"severity": string,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"updated_at": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attribute_id": string,"created_at"?: string,"definition": NonNullable<Json>,"description"?: string | null,"execution_order"?: number,"id"?: string,"is_executable"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"name": string,"parameters"?: NonNullable<Json>,"parent_item_id"?: string | null,"regulatory_reference"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"rule_type": string,"severity"?: string,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "attribute_id"?: string,"created_at"?: string,"definition"?: NonNullable<Json>,"description"?: string | null,"execution_order"?: number,"id"?: string,"is_executable"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"llm_metadata"?: Json | null,"name"?: string,"parameters"?: NonNullable<Json>,"parent_item_id"?: string | null,"regulatory_reference"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"rule_type"?: string,"severity"?: string,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "profiling_rules_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rules_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "profiling_rules"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rules_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rules_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "profiling_rules_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"reports": {
                  Row: {
                    "created_at": string,"description": string | null,"id": number,"name": string,"owner_id": string,"regulation": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"name": string,"owner_id": string,"regulation": string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"name"?: string,"owner_id"?: string,"regulation"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "reports_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"request_comments": {
                  Row: {
                    "author_id": string | null,"body": string,"created_at": string,"cycle_report_id": number,"id": number,"request_id": number
                  }
                  ComputedFields: never
                  Insert: {
                    "author_id"?: string | null,"body": string,"created_at"?: string,"cycle_report_id": number,"id"?: never,"request_id": number
                  }
                  Update: {
                    "author_id"?: string | null,"body"?: string,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"request_id"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "request_comments_author_id_fkey"
      columns: ["author_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_comments_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_comments_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_comments_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_comments_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "request_summaries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_comments_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "requests"
      referencedColumns: ["id"]
    }
                  ]
                },"request_data_sources": {
                  Row: {
                    "accepted_at": string | null,"accepted_by": string | null,"attribute_id": string,"attribute_name": string,"checked_at": string | null,"created_at": string,"created_by": string | null,"cycle_report_id": number,"database_name": string | null,"error": string | null,"host": string | null,"id": string,"item_id": number,"name": string,"port": number | null,"request_id": number,"response_id": number,"round": number,"row_count": number | null,"schema": Json | null,"schema_name": string | null,"source_type": string,"status": string,"table_name": string | null,"username": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "accepted_at"?: string | null,"accepted_by"?: string | null,"attribute_id": string,"attribute_name": string,"checked_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id": number,"database_name"?: string | null,"error"?: string | null,"host"?: string | null,"id"?: string,"item_id": number,"name": string,"port"?: number | null,"request_id": number,"response_id": number,"round": number,"row_count"?: number | null,"schema"?: Json | null,"schema_name"?: string | null,"source_type": string,"status"?: string,"table_name"?: string | null,"username"?: string | null
                  }
                  Update: {
                    "accepted_at"?: string | null,"accepted_by"?: string | null,"attribute_id"?: string,"attribute_name"?: string,"checked_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id"?: number,"database_name"?: string | null,"error"?: string | null,"host"?: string | null,"id"?: string,"item_id"?: number,"name"?: string,"port"?: number | null,"request_id"?: number,"response_id"?: number,"round"?: number,"row_count"?: number | null,"schema"?: Json | null,"schema_name"?: string | null,"source_type"?: string,"status"?: string,"table_name"?: string | null,"username"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "request_data_sources_accepted_by_fkey"
      columns: ["accepted_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_data_sources_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_data_sources_item_id_fkey"
      columns: ["item_id"]
isOneToOne: false
      referencedRelation: "request_items"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "request_summaries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "requests"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_data_sources_response_id_fkey"
      columns: ["response_id"]
isOneToOne: false
      referencedRelation: "request_responses"
      referencedColumns: ["id"]
    }
                  ]
                },"request_files": {
                  Row: {
                    "bucket_id": string,"content_type": string,"cycle_report_id": number,"file_name": string,"id": string,"object_path": string,"request_id": number,"response_id": number,"sha256": string,"size_bytes": number,"uploaded_at": string,"uploaded_by": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "bucket_id"?: string,"content_type": string,"cycle_report_id": number,"file_name": string,"id"?: string,"object_path": string,"request_id": number,"response_id": number,"sha256": string,"size_bytes": number,"uploaded_at"?: string,"uploaded_by"?: string | null
                  }
                  Update: {
                    "bucket_id"?: string,"content_type"?: string,"cycle_report_id"?: number,"file_name"?: string,"id"?: string,"object_path"?: string,"request_id"?: number,"response_id"?: number,"sha256"?: string,"size_bytes"?: number,"uploaded_at"?: string,"uploaded_by"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "request_files_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_files_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_files_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_files_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "request_summaries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_files_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "requests"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_files_response_id_fkey"
      columns: ["response_id"]
isOneToOne: false
      referencedRelation: "request_responses"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_files_uploaded_by_fkey"
      columns: ["uploaded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"request_items": {
                  Row: {
                    "attribute_definition": string | null,"attribute_id": string,"attribute_name": string,"created_at": string,"cycle_report_id": number,"id": number,"request_id": number,"sample_fields": Json | null,"sample_id": string | null,"sample_label": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attribute_definition"?: string | null,"attribute_id": string,"attribute_name": string,"created_at"?: string,"cycle_report_id": number,"id"?: never,"request_id": number,"sample_fields"?: Json | null,"sample_id"?: string | null,"sample_label"?: string | null
                  }
                  Update: {
                    "attribute_definition"?: string | null,"attribute_id"?: string,"attribute_name"?: string,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"request_id"?: number,"sample_fields"?: Json | null,"sample_id"?: string | null,"sample_label"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "request_items_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_items_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_items_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_items_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_items_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "request_summaries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_items_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "requests"
      referencedColumns: ["id"]
    }
                  ]
                },"request_responses": {
                  Row: {
                    "author_id": string | null,"body": string | null,"created_at": string,"cycle_report_id": number,"id": number,"item_id": number | null,"request_id": number,"round": number
                  }
                  ComputedFields: never
                  Insert: {
                    "author_id"?: string | null,"body"?: string | null,"created_at"?: string,"cycle_report_id": number,"id"?: never,"item_id"?: number | null,"request_id": number,"round"?: number
                  }
                  Update: {
                    "author_id"?: string | null,"body"?: string | null,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"item_id"?: number | null,"request_id"?: number,"round"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "request_responses_author_id_fkey"
      columns: ["author_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_responses_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_responses_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_responses_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "request_responses_item_id_fkey"
      columns: ["item_id"]
isOneToOne: false
      referencedRelation: "request_items"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_responses_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "request_summaries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "request_responses_request_id_fkey"
      columns: ["request_id"]
isOneToOne: false
      referencedRelation: "requests"
      referencedColumns: ["id"]
    }
                  ]
                },"requests": {
                  Row: {
                    "accepted_at": string | null,"accepted_by": string | null,"assignee_id": string | null,"close_reason": string | null,"closed_at": string | null,"closed_by": string | null,"created_at": string,"created_by": string | null,"cycle_report_id": number,"due_date": string | null,"id": number,"instructions": string | null,"phase_id": number,"phase_name": string,"responded_at": string | null,"responded_by": string | null,"return_count": number,"return_reason": string | null,"returned_at": string | null,"returned_by": string | null,"sent_at": string | null,"sent_by": string | null,"status": Database["public"]['Enums']["request_status"],"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "accepted_at"?: string | null,"accepted_by"?: string | null,"assignee_id"?: string | null,"close_reason"?: string | null,"closed_at"?: string | null,"closed_by"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id": number,"due_date"?: string | null,"id"?: never,"instructions"?: string | null,"phase_id": number,"phase_name": string,"responded_at"?: string | null,"responded_by"?: string | null,"return_count"?: number,"return_reason"?: string | null,"returned_at"?: string | null,"returned_by"?: string | null,"sent_at"?: string | null,"sent_by"?: string | null,"status"?: Database["public"]['Enums']["request_status"],"title": string,"updated_at"?: string
                  }
                  Update: {
                    "accepted_at"?: string | null,"accepted_by"?: string | null,"assignee_id"?: string | null,"close_reason"?: string | null,"closed_at"?: string | null,"closed_by"?: string | null,"created_at"?: string,"created_by"?: string | null,"cycle_report_id"?: number,"due_date"?: string | null,"id"?: never,"instructions"?: string | null,"phase_id"?: number,"phase_name"?: string,"responded_at"?: string | null,"responded_by"?: string | null,"return_count"?: number,"return_reason"?: string | null,"returned_at"?: string | null,"returned_by"?: string | null,"sent_at"?: string | null,"sent_by"?: string | null,"status"?: Database["public"]['Enums']["request_status"],"title"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "requests_accepted_by_fkey"
      columns: ["accepted_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_assignee_id_fkey"
      columns: ["assignee_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_closed_by_fkey"
      columns: ["closed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "requests_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_responded_by_fkey"
      columns: ["responded_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_returned_by_fkey"
      columns: ["returned_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_sent_by_fkey"
      columns: ["sent_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"sample_decisions": {
                  Row: {
                    "carried_from_decision_id": string | null,"carried_from_version_id": string | null,"created_at": string,"id": string,"item_status": Database["public"]['Enums']["item_status"],"parent_item_id": string | null,"recommendation_source": string,"recommended_by": string | null,"replaced_by_decision_id": string | null,"replacement_reason": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"sample_data": NonNullable<Json>,"sample_key": string,"selection_order": number | null,"selection_reason": string | null,"stratum": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"updated_at": string,"version_id": string,"masked_sample_data": Json | null
                  }
                  ComputedFields: "masked_sample_data"
                  Insert: {
                    "carried_from_decision_id"?: string | null,"carried_from_version_id"?: string | null,"created_at"?: string,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"recommendation_source"?: string,"recommended_by"?: string | null,"replaced_by_decision_id"?: string | null,"replacement_reason"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"sample_data"?: NonNullable<Json>,"sample_key": string,"selection_order"?: number | null,"selection_reason"?: string | null,"stratum"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "carried_from_decision_id"?: string | null,"carried_from_version_id"?: string | null,"created_at"?: string,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"recommendation_source"?: string,"recommended_by"?: string | null,"replaced_by_decision_id"?: string | null,"replacement_reason"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"sample_data"?: NonNullable<Json>,"sample_key"?: string,"selection_order"?: number | null,"selection_reason"?: string | null,"stratum"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "sample_decisions_carried_from_version_id_fkey"
      columns: ["carried_from_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_decisions_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "sample_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_decisions_recommended_by_fkey"
      columns: ["recommended_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_decisions_replaced_by_decision_id_fkey"
      columns: ["replaced_by_decision_id"]
isOneToOne: false
      referencedRelation: "sample_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_decisions_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_decisions_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"sample_reperformances": {
                  Row: {
                    "cycle_report_id": number,"id": number,"identical": boolean,"performed_at": string,"performed_by": string | null,"result": NonNullable<Json>,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "cycle_report_id": number,"id"?: never,"identical": boolean,"performed_at"?: string,"performed_by"?: string | null,"result": NonNullable<Json>,"version_id": string
                  }
                  Update: {
                    "cycle_report_id"?: number,"id"?: never,"identical"?: boolean,"performed_at"?: string,"performed_by"?: string | null,"result"?: NonNullable<Json>,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "sample_reperformances_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_reperformances_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_reperformances_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_reperformances_performed_by_fkey"
      columns: ["performed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_reperformances_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"sample_requests": {
                  Row: {
                    "cycle_report_id": number,"fulfilled_decision_id": string | null,"id": number,"reason": string,"requested_at": string,"requested_by": string | null,"sample_key": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "cycle_report_id": number,"fulfilled_decision_id"?: string | null,"id"?: never,"reason": string,"requested_at"?: string,"requested_by"?: string | null,"sample_key": string,"version_id": string
                  }
                  Update: {
                    "cycle_report_id"?: number,"fulfilled_decision_id"?: string | null,"id"?: never,"reason"?: string,"requested_at"?: string,"requested_by"?: string | null,"sample_key"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "sample_requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_requests_fulfilled_decision_id_fkey"
      columns: ["fulfilled_decision_id"]
isOneToOne: false
      referencedRelation: "sample_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_requests_requested_by_fkey"
      columns: ["requested_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_requests_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"sample_selections": {
                  Row: {
                    "amount_column": string | null,"cycle_report_id": number,"data_source_id": string,"drawn_keys": (string)[],"excluded_keys": (string)[],"filter": NonNullable<Json>,"generator_version": string,"key_column": string,"method": string,"parameters": NonNullable<Json>,"population_amount_sum": number | null,"population_key_hash": string,"population_row_count": number,"population_table": string,"run_at": string,"run_by": string | null,"sample_size": number,"seed": string,"size_basis": string,"size_inputs": NonNullable<Json>,"snapshot_computed_at": string | null,"snapshot_version": string | null,"strata": NonNullable<Json>,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "amount_column"?: string | null,"cycle_report_id": number,"data_source_id": string,"drawn_keys": (string)[],"excluded_keys"?: (string)[],"filter"?: NonNullable<Json>,"generator_version": string,"key_column": string,"method": string,"parameters"?: NonNullable<Json>,"population_amount_sum"?: number | null,"population_key_hash": string,"population_row_count": number,"population_table": string,"run_at"?: string,"run_by"?: string | null,"sample_size": number,"seed": string,"size_basis": string,"size_inputs"?: NonNullable<Json>,"snapshot_computed_at"?: string | null,"snapshot_version"?: string | null,"strata"?: NonNullable<Json>,"version_id": string
                  }
                  Update: {
                    "amount_column"?: string | null,"cycle_report_id"?: number,"data_source_id"?: string,"drawn_keys"?: (string)[],"excluded_keys"?: (string)[],"filter"?: NonNullable<Json>,"generator_version"?: string,"key_column"?: string,"method"?: string,"parameters"?: NonNullable<Json>,"population_amount_sum"?: number | null,"population_key_hash"?: string,"population_row_count"?: number,"population_table"?: string,"run_at"?: string,"run_by"?: string | null,"sample_size"?: number,"seed"?: string,"size_basis"?: string,"size_inputs"?: NonNullable<Json>,"snapshot_computed_at"?: string | null,"snapshot_version"?: string | null,"strata"?: NonNullable<Json>,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "sample_selections_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_selections_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_selections_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "sample_selections_data_source_id_fkey"
      columns: ["data_source_id"]
isOneToOne: false
      referencedRelation: "planning_data_sources"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_selections_run_by_fkey"
      columns: ["run_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "sample_selections_version_id_fkey"
      columns: ["version_id"]
isOneToOne: true
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"scoping_decisions": {
                  Row: {
                    "attribute_change": string | null,"attribute_id": string,"created_at": string,"id": string,"in_scope": boolean,"item_status": Database["public"]['Enums']["item_status"],"parent_item_id": string | null,"rationale": string | null,"recommendation_confidence": number | null,"recommendation_job_id": string | null,"recommendation_provider": string | null,"recommendation_reason": string | null,"recommended_in_scope": boolean | null,"recommended_risk_rating": Database["public"]['Enums']["risk_level"] | null,"recommended_testing_approach": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"risk_rating": Database["public"]['Enums']["risk_level"] | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"testing_approach": string | null,"updated_at": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attribute_change"?: string | null,"attribute_id": string,"created_at"?: string,"id"?: string,"in_scope"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"rationale"?: string | null,"recommendation_confidence"?: number | null,"recommendation_job_id"?: string | null,"recommendation_provider"?: string | null,"recommendation_reason"?: string | null,"recommended_in_scope"?: boolean | null,"recommended_risk_rating"?: Database["public"]['Enums']["risk_level"] | null,"recommended_testing_approach"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"risk_rating"?: Database["public"]['Enums']["risk_level"] | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"testing_approach"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "attribute_change"?: string | null,"attribute_id"?: string,"created_at"?: string,"id"?: string,"in_scope"?: boolean,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"rationale"?: string | null,"recommendation_confidence"?: number | null,"recommendation_job_id"?: string | null,"recommendation_provider"?: string | null,"recommendation_reason"?: string | null,"recommended_in_scope"?: boolean | null,"recommended_risk_rating"?: Database["public"]['Enums']["risk_level"] | null,"recommended_testing_approach"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"risk_rating"?: Database["public"]['Enums']["risk_level"] | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"testing_approach"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "scoping_decisions_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "scoping_decisions_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "scoping_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "scoping_decisions_recommendation_job_id_fkey"
      columns: ["recommendation_job_id"]
isOneToOne: false
      referencedRelation: "background_jobs"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "scoping_decisions_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "scoping_decisions_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "scoping_decisions_version_id_fkey"
      columns: ["version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"scoping_policy": {
                  Row: {
                    "cde_always_in_scope": boolean,"created_at": string,"high_risk_score": number,"id": boolean,"in_scope_risk_score": number | null,"medium_risk_score": number,"primary_keys_always_in_scope": boolean,"regulatory_always_in_scope": boolean,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "cde_always_in_scope"?: boolean,"created_at"?: string,"high_risk_score"?: number,"id"?: boolean,"in_scope_risk_score"?: number | null,"medium_risk_score"?: number,"primary_keys_always_in_scope"?: boolean,"regulatory_always_in_scope"?: boolean,"updated_at"?: string
                  }
                  Update: {
                    "cde_always_in_scope"?: boolean,"created_at"?: string,"high_risk_score"?: number,"id"?: boolean,"in_scope_risk_score"?: number | null,"medium_risk_score"?: number,"primary_keys_always_in_scope"?: boolean,"regulatory_always_in_scope"?: boolean,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"test_case_evidence": {
                  Row: {
                    "bucket_id": string | null,"carried_from_id": string | null,"content_type": string | null,"cycle_report_id": number,"file_name": string,"id": string,"kind": string,"linked_at": string,"linked_by": string | null,"location": string | null,"object_path": string | null,"request_file_id": string | null,"sha256": string | null,"size_bytes": number | null,"test_case_id": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "bucket_id"?: string | null,"carried_from_id"?: string | null,"content_type"?: string | null,"cycle_report_id": number,"file_name": string,"id"?: string,"kind": string,"linked_at"?: string,"linked_by"?: string | null,"location"?: string | null,"object_path"?: string | null,"request_file_id"?: string | null,"sha256"?: string | null,"size_bytes"?: number | null,"test_case_id": string,"version_id": string
                  }
                  Update: {
                    "bucket_id"?: string | null,"carried_from_id"?: string | null,"content_type"?: string | null,"cycle_report_id"?: number,"file_name"?: string,"id"?: string,"kind"?: string,"linked_at"?: string,"linked_by"?: string | null,"location"?: string | null,"object_path"?: string | null,"request_file_id"?: string | null,"sha256"?: string | null,"size_bytes"?: number | null,"test_case_id"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "test_case_evidence_carried_from_id_fkey"
      columns: ["carried_from_id"]
isOneToOne: false
      referencedRelation: "test_case_evidence"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_case_evidence_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "test_case_evidence_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_case_evidence_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "test_case_evidence_linked_by_fkey"
      columns: ["linked_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_case_evidence_request_file_id_fkey"
      columns: ["request_file_id"]
isOneToOne: false
      referencedRelation: "request_files"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_case_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_case_traceability"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "test_case_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_cases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_case_evidence_test_case_id_fkey"
      columns: ["test_case_id"]
isOneToOne: false
      referencedRelation: "test_exceptions"
      referencedColumns: ["test_case_id"]
    }
                  ]
                },"test_cases": {
                  Row: {
                    "attribute_id": string,"attribute_name": string,"created_at": string,"evidence": NonNullable<Json>,"exception_description": string | null,"expected_value": string | null,"id": string,"item_status": Database["public"]['Enums']["item_status"],"parent_item_id": string | null,"planning_version_id": string,"prepared_at": string | null,"prepared_by": string | null,"profiling_version_id": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"reported_value": string | null,"result": string | null,"review_carried_from_id": string | null,"review_void_reason": string | null,"review_voided_at": string | null,"review_voided_by": string | null,"sample_decision_id": string,"sample_key": string,"sample_selection_version_id": string,"scoping_version_id": string | null,"source_value": string | null,"test_notes": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"updated_at": string,"version_id": string,"masked_reported_value": string | null
                  }
                  ComputedFields: "masked_reported_value"
                  Insert: {
                    "attribute_id": string,"attribute_name": string,"created_at"?: string,"evidence"?: NonNullable<Json>,"exception_description"?: string | null,"expected_value"?: string | null,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"planning_version_id": string,"prepared_at"?: string | null,"prepared_by"?: string | null,"profiling_version_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"reported_value"?: string | null,"result"?: string | null,"review_carried_from_id"?: string | null,"review_void_reason"?: string | null,"review_voided_at"?: string | null,"review_voided_by"?: string | null,"sample_decision_id": string,"sample_key": string,"sample_selection_version_id": string,"scoping_version_id"?: string | null,"source_value"?: string | null,"test_notes"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "attribute_id"?: string,"attribute_name"?: string,"created_at"?: string,"evidence"?: NonNullable<Json>,"exception_description"?: string | null,"expected_value"?: string | null,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"planning_version_id"?: string,"prepared_at"?: string | null,"prepared_by"?: string | null,"profiling_version_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"reported_value"?: string | null,"result"?: string | null,"review_carried_from_id"?: string | null,"review_void_reason"?: string | null,"review_voided_at"?: string | null,"review_voided_by"?: string | null,"sample_decision_id"?: string,"sample_key"?: string,"sample_selection_version_id"?: string,"scoping_version_id"?: string | null,"source_value"?: string | null,"test_notes"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "test_cases_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "test_case_traceability"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "test_cases_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "test_cases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "test_exceptions"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "test_cases_planning_version_id_fkey"
      columns: ["planning_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_prepared_by_fkey"
      columns: ["prepared_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_profiling_version_id_fkey"
      columns: ["profiling_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_review_carried_from_id_fkey"
      columns: ["review_carried_from_id"]
isOneToOne: false
      referencedRelation: "test_case_traceability"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "test_cases_review_carried_from_id_fkey"
      columns: ["review_carried_from_id"]
isOneToOne: false
      referencedRelation: "test_cases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_review_carried_from_id_fkey"
      columns: ["review_carried_from_id"]
isOneToOne: false
      referencedRelation: "test_exceptions"
      referencedColumns: ["test_case_id"]
    },{
      foreignKeyName: "test_cases_review_voided_by_fkey"
      columns: ["review_voided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_sample_decision_id_fkey"
      columns: ["sample_decision_id"]
isOneToOne: false
      referencedRelation: "sample_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_sample_selection_version_id_fkey"
      columns: ["sample_selection_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_scoping_version_id_fkey"
      columns: ["scoping_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"test_cycles": {
                  Row: {
                    "created_at": string,"description": string | null,"id": number,"name": string,"period_end": string,"period_start": string,"status": Database["public"]['Enums']["cycle_status"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"name": string,"period_end": string,"period_start": string,"status"?: Database["public"]['Enums']["cycle_status"],"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: never,"name"?: string,"period_end"?: string,"period_start"?: string,"status"?: Database["public"]['Enums']["cycle_status"],"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"test_reports": {
                  Row: {
                    "conclusion": string | null,"content": NonNullable<Json>,"content_checksum": string,"created_at": string,"generated_at": string,"id": string,"item_status": Database["public"]['Enums']["item_status"],"parent_item_id": string | null,"report_owner_decided_at": string | null,"report_owner_decided_by": string | null,"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,"report_owner_notes": string | null,"tester_decided_at": string | null,"tester_decided_by": string | null,"tester_decision": Database["public"]['Enums']["review_decision"] | null,"tester_notes": string | null,"updated_at": string,"version_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "conclusion"?: string | null,"content"?: NonNullable<Json>,"content_checksum"?: string,"created_at"?: string,"generated_at"?: string,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id": string
                  }
                  Update: {
                    "conclusion"?: string | null,"content"?: NonNullable<Json>,"content_checksum"?: string,"created_at"?: string,"generated_at"?: string,"id"?: string,"item_status"?: Database["public"]['Enums']["item_status"],"parent_item_id"?: string | null,"report_owner_decided_at"?: string | null,"report_owner_decided_by"?: string | null,"report_owner_decision"?: Database["public"]['Enums']["review_decision"] | null,"report_owner_notes"?: string | null,"tester_decided_at"?: string | null,"tester_decided_by"?: string | null,"tester_decision"?: Database["public"]['Enums']["review_decision"] | null,"tester_notes"?: string | null,"updated_at"?: string,"version_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "test_reports_parent_item_id_fkey"
      columns: ["parent_item_id"]
isOneToOne: false
      referencedRelation: "test_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_reports_report_owner_decided_by_fkey"
      columns: ["report_owner_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_reports_tester_decided_by_fkey"
      columns: ["tester_decided_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_reports_version_id_fkey"
      columns: ["version_id"]
isOneToOne: true
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"workflow_activities": {
                  Row: {
                    "activity_code": string,"activity_name": string,"activity_order": number,"completed_at": string | null,"completed_by": string | null,"created_at": string,"cycle_report_id": number,"id": number,"is_required": boolean,"notes": string | null,"phase_id": number,"proof": Database["public"]['Enums']["activity_proof"] | null,"proof_item_table": unknown,"started_at": string | null,"started_by": string | null,"status": Database["public"]['Enums']["activity_status"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "activity_code": string,"activity_name": string,"activity_order": number,"completed_at"?: string | null,"completed_by"?: string | null,"created_at"?: string,"cycle_report_id": number,"id"?: never,"is_required"?: boolean,"notes"?: string | null,"phase_id": number,"proof"?: Database["public"]['Enums']["activity_proof"] | null,"proof_item_table"?: unknown,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["activity_status"],"updated_at"?: string
                  }
                  Update: {
                    "activity_code"?: string,"activity_name"?: string,"activity_order"?: number,"completed_at"?: string | null,"completed_by"?: string | null,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"is_required"?: boolean,"notes"?: string | null,"phase_id"?: number,"proof"?: Database["public"]['Enums']["activity_proof"] | null,"proof_item_table"?: unknown,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["activity_status"],"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "workflow_activities_completed_by_fkey"
      columns: ["completed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "workflow_activities_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "workflow_activities_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "workflow_activities_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "workflow_activities_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "workflow_activities_started_by_fkey"
      columns: ["started_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"workflow_phases": {
                  Row: {
                    "completed_at": string | null,"completed_by": string | null,"created_at": string,"cycle_report_id": number,"id": number,"item_reviewer": string | null,"phase_metadata": NonNullable<Json>,"phase_name": string,"phase_order": number,"reopen_reason": string | null,"risk_level": Database["public"]['Enums']["risk_level"] | null,"skip_reason": string | null,"started_at": string | null,"started_by": string | null,"status": Database["public"]['Enums']["phase_status"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "completed_at"?: string | null,"completed_by"?: string | null,"created_at"?: string,"cycle_report_id": number,"id"?: never,"item_reviewer"?: string | null,"phase_metadata"?: NonNullable<Json>,"phase_name": string,"phase_order": number,"reopen_reason"?: string | null,"risk_level"?: Database["public"]['Enums']["risk_level"] | null,"skip_reason"?: string | null,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["phase_status"],"updated_at"?: string
                  }
                  Update: {
                    "completed_at"?: string | null,"completed_by"?: string | null,"created_at"?: string,"cycle_report_id"?: number,"id"?: never,"item_reviewer"?: string | null,"phase_metadata"?: NonNullable<Json>,"phase_name"?: string,"phase_order"?: number,"reopen_reason"?: string | null,"risk_level"?: Database["public"]['Enums']["risk_level"] | null,"skip_reason"?: string | null,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["phase_status"],"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "workflow_phases_completed_by_fkey"
      columns: ["completed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "workflow_phases_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "workflow_phases_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "workflow_phases_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "workflow_phases_phase_name_fkey"
      columns: ["phase_name"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    },{
      foreignKeyName: "workflow_phases_started_by_fkey"
      columns: ["started_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                }
          }
          Views: {
            "cycle_report_overview": {
                  Row: {
                    "current_phase": string | null,"cycle_id": number,"cycle_name": string,"cycle_report_id": number,"dq_rows": number | null,"dq_rows_passed": number | null,"dq_rules": number | null,"observations": Json | null,"owner_id": string,"period_start": string,"phases_done": number | null,"phases_total": number | null,"regulation": string,"report_id": number,"report_name": string,"requests_open": number | null,"requests_overdue": number | null,"status": Database["public"]['Enums']["cycle_report_status"],"testers": Json | null,"tests_failed": number | null,"tests_passed": number | null,"tests_total": number | null
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "cycle_reports_cycle_id_fkey"
      columns: ["cycle_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["test_cycle_id"]
    },{
      foreignKeyName: "cycle_reports_cycle_id_fkey"
      columns: ["cycle_id"]
isOneToOne: false
      referencedRelation: "test_cycles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "cycle_reports_report_id_fkey"
      columns: ["report_id"]
isOneToOne: false
      referencedRelation: "reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "reports_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                },"llm_usage": {
                  Row: {
                    "calls": number | null,"completed_calls": number | null,"cost_usd": number | null,"cycle_name": string | null,"cycle_report_id": number | null,"duration_ms": number | null,"failed_calls": number | null,"input_tokens": number | null,"last_call_at": string | null,"level": string | null,"output_tokens": number | null,"pending_calls": number | null,"phase_name": string | null,"report_name": string | null,"test_cycle_id": number | null
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "workflow_phases_phase_name_fkey"
      columns: ["phase_name"]
isOneToOne: false
      referencedRelation: "phase_definitions"
      referencedColumns: ["name"]
    }
                  ]
                },"request_summaries": {
                  Row: {
                    "accepted_at": string | null,"assignee_id": string | null,"close_reason": string | null,"closed_at": string | null,"cycle_report_id": number,"due_date": string | null,"file_count": number | null,"id": number,"is_overdue": boolean | null,"item_count": number | null,"phase_id": number,"phase_name": string,"responded_at": string | null,"response_count": number | null,"return_count": number,"return_reason": string | null,"returned_at": string | null,"sent_at": string | null,"status": Database["public"]['Enums']["request_status"],"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                           "accepted_at"?: string | null,"assignee_id"?: string | null,"close_reason"?: string | null,"closed_at"?: string | null,"cycle_report_id"?: number | null,"due_date"?: string | null,"file_count"?: never,"id"?: number | null,"is_overdue"?: never,"item_count"?: never,"phase_id"?: number | null,"phase_name"?: string | null,"responded_at"?: string | null,"response_count"?: never,"return_count"?: number | null,"return_reason"?: string | null,"returned_at"?: string | null,"sent_at"?: string | null,"status"?: Database["public"]['Enums']["request_status"] | null,"title"?: string | null,"updated_at"?: string | null
                         }
                        Update: {
                           "accepted_at"?: string | null,"assignee_id"?: string | null,"close_reason"?: string | null,"closed_at"?: string | null,"cycle_report_id"?: number | null,"due_date"?: string | null,"file_count"?: never,"id"?: number | null,"is_overdue"?: never,"item_count"?: never,"phase_id"?: number | null,"phase_name"?: string | null,"responded_at"?: string | null,"response_count"?: never,"return_count"?: number | null,"return_reason"?: string | null,"returned_at"?: string | null,"sent_at"?: string | null,"status"?: Database["public"]['Enums']["request_status"] | null,"title"?: string | null,"updated_at"?: string | null
                         }
                        Relationships: [
                    {
      foreignKeyName: "requests_assignee_id_fkey"
      columns: ["assignee_id"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "requests_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "requests_phase_id_fkey"
      columns: ["phase_id"]
isOneToOne: false
      referencedRelation: "workflow_phases"
      referencedColumns: ["id"]
    }
                  ]
                },"test_case_traceability": {
                  Row: {
                    "attribute_id": string,"attribute_name": string,"cycle_report_id": number,"planning_approved_at": string | null,"planning_version_id": string,"planning_version_number": number,"profiling_approved_at": string | null,"profiling_version_id": string | null,"profiling_version_number": number | null,"result": string | null,"sample_decision_id": string,"sample_key": string,"sample_selection_approved_at": string | null,"sample_selection_version_id": string,"sample_selection_version_number": number,"scoping_approved_at": string | null,"scoping_decision_id": string | null,"scoping_version_id": string | null,"scoping_version_number": number | null,"test_case_id": string,"test_execution_version_id": string,"test_execution_version_number": number
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "test_cases_attribute_id_fkey"
      columns: ["attribute_id"]
isOneToOne: false
      referencedRelation: "planning_attributes"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_planning_version_id_fkey"
      columns: ["planning_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_profiling_version_id_fkey"
      columns: ["profiling_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_sample_decision_id_fkey"
      columns: ["sample_decision_id"]
isOneToOne: false
      referencedRelation: "sample_decisions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_sample_selection_version_id_fkey"
      columns: ["sample_selection_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_scoping_version_id_fkey"
      columns: ["scoping_version_id"]
isOneToOne: false
      referencedRelation: "artifact_versions"
      referencedColumns: ["id"]
    }
                  ]
                },"test_exceptions": {
                  Row: {
                    "attribute_name": string,"cycle_report_id": number,"evidence": NonNullable<Json>,"exception_description": string | null,"expected_value": string | null,"prepared_at": string | null,"prepared_by": string | null,"reported_value": string | null,"reviewed_at": string | null,"reviewed_by": string | null,"sample_key": string,"source_value": string | null,"test_case_id": string,"version_id": string,"version_number": number
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_report_overview"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "cycle_reports"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "artifact_versions_cycle_report_id_fkey"
      columns: ["cycle_report_id"]
isOneToOne: false
      referencedRelation: "llm_usage"
      referencedColumns: ["cycle_report_id"]
    },{
      foreignKeyName: "test_cases_prepared_by_fkey"
      columns: ["prepared_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "test_cases_tester_decided_by_fkey"
      columns: ["reviewed_by"]
isOneToOne: false
      referencedRelation: "profiles"
      referencedColumns: ["id"]
    }
                  ]
                }
          }
          Functions: {
            "accept_request":
{ Args: { "p_request_id": number }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"add_requested_samples":
{ Args: { "p_version_id": string }; Returns: number
                           },
"allocate_database_sample_draw":
{ Args: { "p_job_id": string,"p_survey": Json }; Returns: Json
                           },
"approve_version":
{ Args: { "p_version_id": string }; Returns: {
              "approved_at": string | null,
"approved_by": string | null,
"approved_count": number,
"based_on_version_id": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"generation_summary": NonNullable<Json>,
"id": string,
"item_count": number,
"owner_decided_count": number,
"parent_version_id": string | null,
"pending_count": number | null,
"phase_id": number,
"phase_name": string,
"rejected_at": string | null,
"rejected_by": string | null,
"rejected_count": number,
"rejection_reason": string | null,
"submitted_at": string | null,
"submitted_by": string | null,
"summary": NonNullable<Json>,
"superseded_at": string | null,
"superseded_by_version_id": string | null,
"tester_decided_count": number,
"updated_at": string,
"version_number": number,
"version_status": Database["public"]['Enums']["version_status"]
            }
                          SetofOptions: {
        from: "*"
        to: "artifact_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"attribute_sample_size":
{ Args: { "p_confidence": number,"p_expected_deviations"?: number,"p_tolerable_rate": number }; Returns: number
                           },
"cancel_job":
{ Args: { "p_job_id": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"claim_job":
{ Args: { "p_job_types": (string)[],"p_lease_seconds"?: number,"p_worker": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }[]
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: false
        isSetofReturn: true
      } },
"close_request":
{ Args: { "p_reason": string,"p_request_id": number }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"complete_activity":
{ Args: { "p_activity_id": number }; Returns: {
              "activity_code": string,
"activity_name": string,
"activity_order": number,
"completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"is_required": boolean,
"notes": string | null,
"phase_id": number,
"proof": Database["public"]['Enums']["activity_proof"] | null,
"proof_item_table": unknown,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["activity_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_activities"
        isOneToOne: true
        isSetofReturn: false
      } },
"complete_job":
{ Args: { "p_job_id": string,"p_result"?: Json,"p_worker": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"complete_phase":
{ Args: { "p_phase_id": number }; Returns: {
              "completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"item_reviewer": string | null,
"phase_metadata": NonNullable<Json>,
"phase_name": string,
"phase_order": number,
"reopen_reason": string | null,
"risk_level": Database["public"]['Enums']["risk_level"] | null,
"skip_reason": string | null,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["phase_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_phases"
        isOneToOne: true
        isSetofReturn: false
      } },
"create_requests":
{ Args: { "p_assignee_id"?: string,"p_due_date"?: string,"p_instructions"?: string,"p_items": Json,"p_one_request_per_item"?: boolean,"p_phase_id": number,"p_title"?: string }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: false
        isSetofReturn: true
      } },
"create_version":
{ Args: { "p_parent_version_id"?: string,"p_phase_id": number }; Returns: {
              "approved_at": string | null,
"approved_by": string | null,
"approved_count": number,
"based_on_version_id": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"generation_summary": NonNullable<Json>,
"id": string,
"item_count": number,
"owner_decided_count": number,
"parent_version_id": string | null,
"pending_count": number | null,
"phase_id": number,
"phase_name": string,
"rejected_at": string | null,
"rejected_by": string | null,
"rejected_count": number,
"rejection_reason": string | null,
"submitted_at": string | null,
"submitted_by": string | null,
"summary": NonNullable<Json>,
"superseded_at": string | null,
"superseded_by_version_id": string | null,
"tester_decided_count": number,
"updated_at": string,
"version_number": number,
"version_status": Database["public"]['Enums']["version_status"]
            }
                          SetofOptions: {
        from: "*"
        to: "artifact_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"data_source_schema":
{ Args: { "p_data_source_id": string }; Returns: Json
                           },
"decide_items":
{ Args: { "p_decision": Database["public"]['Enums']["review_decision"],"p_item_ids": (string)[],"p_item_table": string,"p_notes"?: string,"p_side": string,"p_version_id": string }; Returns: number
                           },
"fail_job":
{ Args: { "p_error": string,"p_job_id": string,"p_retryable"?: boolean,"p_worker": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"heartbeat_job":
{ Args: { "p_job_id": string,"p_lease_seconds"?: number,"p_message"?: string,"p_progress"?: number,"p_worker": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"in_scope_attribute_ids":
{ Args: { "p_cycle_report_id": number }; Returns: string[]
                           },
"list_sign_in_events":
{ Args: { "p_email"?: string,"p_limit"?: number }; Returns: {
              "email": string,"event": string,"ip_address": string,"occurred_at": string,"user_id": string
            }[]
                           },
"masked_failed_sample":
{ Args: { "p_result": Omit<Database["public"]['Tables']["profiling_rule_results"]['Row'], Database["public"]['Tables']["profiling_rule_results"]['ComputedFields']> }; Returns: Json
                           },
"masked_reported_value":
{ Args: { "p_case": Omit<Database["public"]['Tables']["test_cases"]['Row'], Database["public"]['Tables']["test_cases"]['ComputedFields']> }; Returns: string
                           },
"masked_sample_data":
{ Args: { "p_sample": Omit<Database["public"]['Tables']["sample_decisions"]['Row'], Database["public"]['Tables']["sample_decisions"]['ComputedFields']> }; Returns: Json
                           },
"move_observation":
{ Args: { "p_comment": string,"p_observation_id": string,"p_to_status": string }; Returns: {
              "category": string,
"cause": string | null,
"condition": string | null,
"consequence": string | null,
"created_at": string,
"criteria": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": string,
"impacted_attribute_ids": (string)[],
"impacted_report_lines": (string)[],
"owner_response": string | null,
"proposed_from": string | null,
"raised_by": string | null,
"remediation_owner_id": string | null,
"remediation_plan": string | null,
"root_cause": string | null,
"severity": string,
"status": string,
"title": string,
"updated_at": string,
"validation_evidence": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "observations"
        isOneToOne: true
        isSetofReturn: false
      } },
"plan_database_sample_draw":
{ Args: { "p_job_id": string }; Returns: Json
                           },
"profiling_attribute_sources":
{ Args: { "p_version_id": string }; Returns: {
              "attribute_id": string,"attribute_name": string,"data_source_id": string,"request_data_source_id": string,"request_id": number,"row_count": number,"source_kind": string,"source_name": string,"source_type": string,"table_name": string
            }[]
                           },
"propose_observations":
{ Args: { "p_cycle_report_id": number }; Returns: {
              "category": string,
"cause": string | null,
"condition": string | null,
"consequence": string | null,
"created_at": string,
"criteria": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": string,
"impacted_attribute_ids": (string)[],
"impacted_report_lines": (string)[],
"owner_response": string | null,
"proposed_from": string | null,
"raised_by": string | null,
"remediation_owner_id": string | null,
"remediation_plan": string | null,
"root_cause": string | null,
"severity": string,
"status": string,
"title": string,
"updated_at": string,
"validation_evidence": string | null
            }[]
                          SetofOptions: {
        from: "*"
        to: "observations"
        isOneToOne: false
        isSetofReturn: true
      } },
"record_auth_event":
{ Args: { "p_email": string,"p_event": string,"p_ip_address"?: string }; Returns: undefined
                           },
"record_database_sample_reperformance":
{ Args: { "p_draw": Json,"p_error"?: string,"p_job_id": string,"p_survey": Json }; Returns: Json
                           },
"record_database_sample_selection":
{ Args: { "p_draw": Json,"p_job_id": string,"p_survey": Json }; Returns: {
              "amount_column": string | null,
"cycle_report_id": number,
"data_source_id": string,
"drawn_keys": (string)[],
"excluded_keys": (string)[],
"filter": NonNullable<Json>,
"generator_version": string,
"key_column": string,
"method": string,
"parameters": NonNullable<Json>,
"population_amount_sum": number | null,
"population_key_hash": string,
"population_row_count": number,
"population_table": string,
"run_at": string,
"run_by": string | null,
"sample_size": number,
"seed": string,
"size_basis": string,
"size_inputs": NonNullable<Json>,
"snapshot_computed_at": string | null,
"snapshot_version": string | null,
"strata": NonNullable<Json>,
"version_id": string
            }
                          SetofOptions: {
        from: "*"
        to: "sample_selections"
        isOneToOne: true
        isSetofReturn: false
      } },
"refresh_test_report":
{ Args: { "p_version_id": string }; Returns: {
              "conclusion": string | null,
"content": NonNullable<Json>,
"content_checksum": string,
"created_at": string,
"generated_at": string,
"id": string,
"item_status": Database["public"]['Enums']["item_status"],
"parent_item_id": string | null,
"report_owner_decided_at": string | null,
"report_owner_decided_by": string | null,
"report_owner_decision": Database["public"]['Enums']["review_decision"] | null,
"report_owner_notes": string | null,
"tester_decided_at": string | null,
"tester_decided_by": string | null,
"tester_decision": Database["public"]['Enums']["review_decision"] | null,
"tester_notes": string | null,
"updated_at": string,
"version_id": string
            }
                          SetofOptions: {
        from: "*"
        to: "test_reports"
        isOneToOne: true
        isSetofReturn: false
      } },
"reject_version":
{ Args: { "p_reason": string,"p_version_id": string }; Returns: {
              "approved_at": string | null,
"approved_by": string | null,
"approved_count": number,
"based_on_version_id": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"generation_summary": NonNullable<Json>,
"id": string,
"item_count": number,
"owner_decided_count": number,
"parent_version_id": string | null,
"pending_count": number | null,
"phase_id": number,
"phase_name": string,
"rejected_at": string | null,
"rejected_by": string | null,
"rejected_count": number,
"rejection_reason": string | null,
"submitted_at": string | null,
"submitted_by": string | null,
"summary": NonNullable<Json>,
"superseded_at": string | null,
"superseded_by_version_id": string | null,
"tester_decided_count": number,
"updated_at": string,
"version_number": number,
"version_status": Database["public"]['Enums']["version_status"]
            }
                          SetofOptions: {
        from: "*"
        to: "artifact_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"remediation_assignments":
{ Args: Record<PropertyKey, never>; Returns: {
              "cycle_name": string,"cycle_report_id": number,"due_date": string,"observation_id": string,"regulation": string,"report_name": string,"severity": string,"status": string,"title": string
            }[]
                           },
"reopen_phase":
{ Args: { "p_phase_id": number,"p_reason": string }; Returns: {
              "completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"item_reviewer": string | null,
"phase_metadata": NonNullable<Json>,
"phase_name": string,
"phase_order": number,
"reopen_reason": string | null,
"risk_level": Database["public"]['Enums']["risk_level"] | null,
"skip_reason": string | null,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["phase_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_phases"
        isOneToOne: true
        isSetofReturn: false
      } },
"reperform_sample_selection":
{ Args: { "p_version_id": string }; Returns: Json
                           },
"request_generation":
{ Args: { "p_kind": string,"p_regulatory_context"?: string,"p_report_type"?: string,"p_version_id": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"request_profiling_execution":
{ Args: { "p_version_id": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"request_sample_reperformance":
{ Args: { "p_version_id": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"request_sample_selection":
{ Args: { "p_amount_column"?: string,"p_data_source_id": string,"p_filter"?: Json,"p_key_column": string,"p_method": string,"p_parameters"?: Json,"p_seed"?: string,"p_size"?: Json,"p_version_id": string }; Returns: {
              "attempts": number,
"backoff_base_seconds": number,
"completed_at": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number | null,
"error": string | null,
"heartbeat_at": string | null,
"id": string,
"job_type": string,
"lease_expires_at": string | null,
"lease_owner": string | null,
"max_attempts": number,
"metadata": NonNullable<Json>,
"priority": number,
"progress": number,
"progress_message": string | null,
"result": Json | null,
"run_after": string,
"started_at": string | null,
"status": Database["public"]['Enums']["job_status"],
"updated_at": string,
"version_id": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "background_jobs"
        isOneToOne: true
        isSetofReturn: false
      } },
"request_samples":
{ Args: { "p_keys": (string)[],"p_reason": string,"p_version_id": string }; Returns: {
              "cycle_report_id": number,
"fulfilled_decision_id": string | null,
"id": number,
"reason": string,
"requested_at": string,
"requested_by": string | null,
"sample_key": string,
"version_id": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "sample_requests"
        isOneToOne: false
        isSetofReturn: true
      } },
"respond_to_request":
{ Args: { "p_request_id": number }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"return_request":
{ Args: { "p_reason": string,"p_request_id": number }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"run_failed_samples":
{ Args: { "p_execution_id": string }; Returns: {
              "failed_sample": Json,"result_id": number
            }[]
                           },
"run_sample_selection":
{ Args: { "p_amount_column"?: string,"p_data_source_id": string,"p_filter"?: Json,"p_key_column": string,"p_method": string,"p_parameters"?: Json,"p_seed"?: string,"p_size"?: Json,"p_version_id": string }; Returns: {
              "amount_column": string | null,
"cycle_report_id": number,
"data_source_id": string,
"drawn_keys": (string)[],
"excluded_keys": (string)[],
"filter": NonNullable<Json>,
"generator_version": string,
"key_column": string,
"method": string,
"parameters": NonNullable<Json>,
"population_amount_sum": number | null,
"population_key_hash": string,
"population_row_count": number,
"population_table": string,
"run_at": string,
"run_by": string | null,
"sample_size": number,
"seed": string,
"size_basis": string,
"size_inputs": NonNullable<Json>,
"snapshot_computed_at": string | null,
"snapshot_version": string | null,
"strata": NonNullable<Json>,
"version_id": string
            }
                          SetofOptions: {
        from: "*"
        to: "sample_selections"
        isOneToOne: true
        isSetofReturn: false
      } },
"search_sample_population":
{ Args: { "p_key_prefix"?: string,"p_limit"?: number,"p_version_id": string }; Returns: {
              "in_version": boolean,"sample_data": Json,"sample_key": string
            }[]
                           },
"send_request":
{ Args: { "p_request_id": number }; Returns: {
              "accepted_at": string | null,
"accepted_by": string | null,
"assignee_id": string | null,
"close_reason": string | null,
"closed_at": string | null,
"closed_by": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"due_date": string | null,
"id": number,
"instructions": string | null,
"phase_id": number,
"phase_name": string,
"responded_at": string | null,
"responded_by": string | null,
"return_count": number,
"return_reason": string | null,
"returned_at": string | null,
"returned_by": string | null,
"sent_at": string | null,
"sent_by": string | null,
"status": Database["public"]['Enums']["request_status"],
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"skip_activity":
{ Args: { "p_activity_id": number }; Returns: {
              "activity_code": string,
"activity_name": string,
"activity_order": number,
"completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"is_required": boolean,
"notes": string | null,
"phase_id": number,
"proof": Database["public"]['Enums']["activity_proof"] | null,
"proof_item_table": unknown,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["activity_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_activities"
        isOneToOne: true
        isSetofReturn: false
      } },
"skip_phase":
{ Args: { "p_phase_id": number,"p_reason": string }; Returns: {
              "completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"item_reviewer": string | null,
"phase_metadata": NonNullable<Json>,
"phase_name": string,
"phase_order": number,
"reopen_reason": string | null,
"risk_level": Database["public"]['Enums']["risk_level"] | null,
"skip_reason": string | null,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["phase_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_phases"
        isOneToOne: true
        isSetofReturn: false
      } },
"start_activity":
{ Args: { "p_activity_id": number }; Returns: {
              "activity_code": string,
"activity_name": string,
"activity_order": number,
"completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"is_required": boolean,
"notes": string | null,
"phase_id": number,
"proof": Database["public"]['Enums']["activity_proof"] | null,
"proof_item_table": unknown,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["activity_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_activities"
        isOneToOne: true
        isSetofReturn: false
      } },
"start_phase":
{ Args: { "p_phase_id": number }; Returns: {
              "completed_at": string | null,
"completed_by": string | null,
"created_at": string,
"cycle_report_id": number,
"id": number,
"item_reviewer": string | null,
"phase_metadata": NonNullable<Json>,
"phase_name": string,
"phase_order": number,
"reopen_reason": string | null,
"risk_level": Database["public"]['Enums']["risk_level"] | null,
"skip_reason": string | null,
"started_at": string | null,
"started_by": string | null,
"status": Database["public"]['Enums']["phase_status"],
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "workflow_phases"
        isOneToOne: true
        isSetofReturn: false
      } },
"submit_version":
{ Args: { "p_version_id": string }; Returns: {
              "approved_at": string | null,
"approved_by": string | null,
"approved_count": number,
"based_on_version_id": string | null,
"created_at": string,
"created_by": string | null,
"cycle_report_id": number,
"generation_summary": NonNullable<Json>,
"id": string,
"item_count": number,
"owner_decided_count": number,
"parent_version_id": string | null,
"pending_count": number | null,
"phase_id": number,
"phase_name": string,
"rejected_at": string | null,
"rejected_by": string | null,
"rejected_count": number,
"rejection_reason": string | null,
"submitted_at": string | null,
"submitted_by": string | null,
"summary": NonNullable<Json>,
"superseded_at": string | null,
"superseded_by_version_id": string | null,
"tester_decided_count": number,
"updated_at": string,
"version_number": number,
"version_status": Database["public"]['Enums']["version_status"]
            }
                          SetofOptions: {
        from: "*"
        to: "artifact_versions"
        isOneToOne: true
        isSetofReturn: false
      } },
"verify_audit_log":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"version_reported_values":
{ Args: { "p_version_id": string }; Returns: {
              "reported_value": string,"test_case_id": string
            }[]
                           },
"version_sample_values":
{ Args: { "p_version_id": string }; Returns: {
              "sample_data": Json,"sample_key": string
            }[]
                           }
          }
          Enums: {
            "activity_proof": "items_exist"|"items_decided"|"version_submitted"|"version_approved","activity_status": "not_started"|"in_progress"|"completed"|"skipped","app_role": "admin"|"tester"|"report_owner"|"data_provider","cycle_report_status": "not_started"|"in_progress"|"completed","cycle_status": "planned"|"active"|"closed","item_status": "pending"|"approved"|"rejected","job_status": "queued"|"running"|"completed"|"failed"|"cancelled","llm_status": "pending"|"answered"|"completed"|"failed","phase_status": "not_started"|"in_progress"|"completed"|"skipped","request_status": "draft"|"sent"|"responded"|"accepted"|"returned"|"closed","review_decision": "approved"|"rejected","risk_level": "low"|"medium"|"high","version_status": "draft"|"pending_approval"|"approved"|"rejected"|"superseded"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "activity_proof": ["items_exist", "items_decided", "version_submitted", "version_approved"],"activity_status": ["not_started", "in_progress", "completed", "skipped"],"app_role": ["admin", "tester", "report_owner", "data_provider"],"cycle_report_status": ["not_started", "in_progress", "completed"],"cycle_status": ["planned", "active", "closed"],"item_status": ["pending", "approved", "rejected"],"job_status": ["queued", "running", "completed", "failed", "cancelled"],"llm_status": ["pending", "answered", "completed", "failed"],"phase_status": ["not_started", "in_progress", "completed", "skipped"],"request_status": ["draft", "sent", "responded", "accepted", "returned", "closed"],"review_decision": ["approved", "rejected"],"risk_level": ["low", "medium", "high"],"version_status": ["draft", "pending_approval", "approved", "rejected", "superseded"]
          }
        }
} as const
